import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getDecisionDetail } from "@/lib/services/decisions";
import { forPage, pageContext } from "@/lib/services/entries";
import { formatLocalDateTime } from "@/lib/time/format";
import { decodedParam } from "@/lib/views/route-params";

type Props = { params: Promise<{ team: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Decision #${decodedParam((await params).id)}` };
}

export default async function DecisionPage({ params }: Props) {
  await connection();
  const { team, id } = await params;
  const teamKey = decodedParam(team);
  const ctx = await pageContext(`/teams/${encodeURIComponent(teamKey)}/decisions/${encodeURIComponent(decodedParam(id))}`);
  if (!/^\d+$/.test(id)) notFound();
  const { team: t, decision: d } = await forPage(getDecisionDetail(ctx, teamKey, Number(id)));
  const teamPath = `/teams/${encodeURIComponent(t.key)}`;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <Link href={teamPath}>{t.name}</Link> / <Link href={`${teamPath}/decisions`}>Decisions</Link> / <span>#{d.id}</span>
      </nav>
      <h1 data-testid="decision-title">{d.title}</h1>
      <p className="lede">
        Decided <time dateTime={d.decided_at}>{formatLocalDateTime(new Date(d.decided_at), t.timezone)}</time>
        {d.decided_by ? ` by ${d.decided_by}` : ""}
        {d.show_on_charts ? " · shown on the charts" : ""}
      </p>
      <section className="card">
        <h2>Rationale</h2>
        <p className="annotation-text" data-testid="decision-rationale">
          {d.rationale}
        </p>
      </section>
      <dl className="facts">
        <dt>Items</dt>
        <dd>
          {d.item_keys.length === 0
            ? "none"
            : d.item_keys.map((k, i) => (
                <span key={k}>
                  {i > 0 ? ", " : ""}
                  <Link href={`${teamPath}/items/${encodeURIComponent(k)}`}>{k}</Link>
                </span>
              ))}
        </dd>
        <dt>Milestones</dt>
        <dd>{d.milestone_keys.length === 0 ? "none" : d.milestone_keys.join(", ")}</dd>
        <dt>Roadblock</dt>
        <dd>{d.roadblock_id === null ? "none" : <Link href={`${teamPath}/roadblocks/${d.roadblock_id}`}>#{d.roadblock_id}</Link>}</dd>
      </dl>
    </>
  );
}
