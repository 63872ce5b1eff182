import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { DecideRoadblockForm } from "@/components/review/review-forms";
import { forPage, pageContext } from "@/lib/services/entries";
import { DECISION_LABELS, getRoadblockDetail } from "@/lib/services/roadblocks";
import { formatLocalDateTime } from "@/lib/time/format";
import { decodedParam } from "@/lib/views/route-params";
import { waitingLabel } from "@/lib/views/roadblock-view";
import { decideRoadblockAction } from "../actions";

type Props = { params: Promise<{ team: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Roadblock #${decodedParam((await params).id)}` };
}

export default async function RoadblockPage({ params }: Props) {
  await connection();
  const { team, id } = await params;
  const teamKey = decodedParam(team);
  const ctx = await pageContext(`/teams/${encodeURIComponent(teamKey)}/roadblocks/${encodeURIComponent(decodedParam(id))}`);
  if (!/^\d+$/.test(id)) notFound();
  const detail = await forPage(getRoadblockDetail(ctx, teamKey, Number(id)));
  const { roadblock: r, team: t } = detail;
  const tz = t.timezone;
  const at = (iso: string) => <time dateTime={iso}>{formatLocalDateTime(new Date(iso), tz)}</time>;
  const teamPath = `/teams/${encodeURIComponent(t.key)}`;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <Link href={teamPath}>{t.name}</Link> / <Link href={`${teamPath}/roadblocks`}>Roadblocks</Link> / <span>#{r.id}</span>
      </nav>
      <h1>
        Roadblock #{r.id} on <Link href={`${teamPath}/items/${encodeURIComponent(r.item_key)}`}>{r.item_key}</Link>
        {r.item_title ? `: ${r.item_title}` : ""}
      </h1>
      <p className="lede" data-testid="roadblock-state">
        {r.ended_at ? <>Ended {at(r.ended_at)}.</> : r.waiting_hours !== null ? <>Open, {waitingLabel(r.waiting_hours)}.</> : <>Open: answered, still blocked.</>}
      </p>
      <dl className="facts">
        <dt>What blocks</dt>
        <dd data-testid="roadblock-problem">{r.problem}</dd>
        <dt>Proposed solution</dt>
        <dd data-testid="roadblock-proposal">{r.proposal}</dd>
        <dt>Support needed</dt>
        <dd>{r.support_needed ?? "none named"}</dd>
        <dt>Blocked since</dt>
        <dd>{at(r.since)}</dd>
      </dl>
      <section className="card">
        <h2>History</h2>
        <ol className="timeline" data-testid="roadblock-history">
          {detail.events.map((e, i) => (
            <li key={i} data-kind={e.kind}>
              {at(e.at)} <strong>{e.kind === "reported" ? "Reported" : e.kind === "reopened" ? "Reopened" : e.decision ? DECISION_LABELS[e.decision] : "Decided"}</strong>
              {e.by ? ` by ${e.by}` : ""}
              {e.kind === "decided" ? (e.ends_block ? " — ended the block" : " — the block stays open") : ""}
              {e.text ? <p className="annotation-text">{e.text}</p> : null}
            </li>
          ))}
        </ol>
        {detail.decisions.length > 0 ? (
          <p className="muted">
            In the decisions log:{" "}
            {detail.decisions.map((d, i) => (
              <span key={d.id}>
                {i > 0 ? ", " : ""}
                <Link href={d.path}>{d.title}</Link>
              </span>
            ))}
          </p>
        ) : null}
      </section>
      {detail.may_decide && r.ended_at === null ? (
        <section className="card">
          <h2>Answer it</h2>
          <DecideRoadblockForm decide={decideRoadblockAction} team={t.key} id={r.id} />
        </section>
      ) : null}
    </>
  );
}
