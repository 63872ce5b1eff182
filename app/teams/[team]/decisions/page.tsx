import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { DecisionForm } from "@/components/review/review-forms";
import { getDecisionsPage } from "@/lib/services/decisions";
import { forPage, pageContext } from "@/lib/services/entries";
import { decodedParam } from "@/lib/views/route-params";
import { createDecisionAction } from "../roadblocks/actions";

type Props = { params: Promise<{ team: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodedParam((await params).team)} decisions` };
}

export default async function DecisionsPage({ params }: Props) {
  await connection();
  const teamKey = decodedParam((await params).team);
  const ctx = await pageContext(`/teams/${encodeURIComponent(teamKey)}/decisions`);
  const page = await forPage(getDecisionsPage(ctx, teamKey));
  const teamPath = `/teams/${encodeURIComponent(page.team.key)}`;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <Link href={teamPath}>{page.team.name}</Link> / <span>Decisions</span>
      </nav>
      <h1>{page.team.name}: decisions</h1>
      <p className="lede">
        What the team decided and why. Answers to <Link href={`${teamPath}/roadblocks`}>roadblocks</Link> are logged here too.
      </p>
      <section className="card" data-testid="decisions" data-count={page.decisions.length}>
        {page.decisions.length === 0 ? (
          <p className="muted">No decision recorded yet.</p>
        ) : (
          <ul className="decision-list">
            {page.decisions.map((d) => (
              <li key={d.id} data-testid="decision" data-decision-id={d.id}>
                <Link href={d.path}>{d.title}</Link> <span className="muted">{d.decided_on}</span>
                {d.decided_by ? <span className="muted"> · {d.decided_by}</span> : null}
                {d.show_on_charts ? <span className="muted"> · on the charts</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {page.may_record ? (
        <section className="card">
          <h2>Record a decision</h2>
          <DecisionForm create={createDecisionAction} team={page.team.key} today={page.today} />
        </section>
      ) : null}
    </>
  );
}
