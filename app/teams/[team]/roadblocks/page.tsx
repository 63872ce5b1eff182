import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { forPage, pageContext } from "@/lib/services/entries";
import { DECISION_LABELS, getRoadblocksPage, type Roadblock } from "@/lib/services/roadblocks";
import { formatLocalDateTime } from "@/lib/time/format";
import { decodedParam } from "@/lib/views/route-params";
import { orderRoadblocks, waitingLabel } from "@/lib/views/roadblock-view";

type Props = { params: Promise<{ team: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodedParam((await params).team)} roadblocks` };
}

function Entry({ r, tz }: { r: Roadblock; tz: string }) {
  return (
    <li data-testid="roadblock" data-roadblock-id={r.id} data-open={r.ended_at === null ? "yes" : "no"}>
      <Link href={r.path}>
        #{r.id} {r.item_key}
      </Link>{" "}
      {r.problem} <span className="muted">— proposal: {r.proposal}</span>
      {r.support_needed ? <span className="muted"> · support: {r.support_needed}</span> : null}
      <br />
      <span className="muted">
        blocked since {formatLocalDateTime(new Date(r.since), tz)}
        {r.reported_by ? `, reported by ${r.reported_by}` : ""} ·{" "}
      </span>
      {r.waiting_hours !== null ? (
        <strong data-testid="roadblock-waiting">{waitingLabel(r.waiting_hours)}</strong>
      ) : (
        <span>
          {r.decision ? DECISION_LABELS[r.decision] : ""}
          {r.decided_by ? ` by ${r.decided_by}` : ""}
          {r.ended_at ? `; ended ${formatLocalDateTime(new Date(r.ended_at), tz)}` : "; still blocked"}
        </span>
      )}
    </li>
  );
}

export default async function RoadblocksPage({ params }: Props) {
  await connection();
  const teamKey = decodedParam((await params).team);
  const ctx = await pageContext(`/teams/${encodeURIComponent(teamKey)}/roadblocks`);
  const page = await forPage(getRoadblocksPage(ctx, teamKey));
  const tz = page.team.timezone;
  const { open, ended } = orderRoadblocks(page.roadblocks);
  const teamPath = `/teams/${encodeURIComponent(page.team.key)}`;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <Link href={teamPath}>{page.team.name}</Link> / <span>Roadblocks</span>
      </nav>
      <h1>{page.team.name}: roadblocks</h1>
      <p className="lede">
        What blocks the team&apos;s work, the way out proposed, and the decisions taken. Report one from an item&apos;s page. <Link href={`${teamPath}/decisions`}>The decisions log</Link>
      </p>
      <section className="card" data-testid="roadblocks-open" data-count={open.length}>
        <h2>Open</h2>
        {open.length === 0 ? <p className="muted">No open roadblock.</p> : <ul className="roadblock-list">{open.map((r) => <Entry key={r.id} r={r} tz={tz} />)}</ul>}
      </section>
      <section className="card" data-testid="roadblocks-tracker" data-count={page.tracker.length}>
        <h2>Blocked in the tracker</h2>
        <p className="explain">Open blockers from the tracker (flags, labels, blocked statuses), read-only: change them there.</p>
        {page.tracker.length === 0 ? (
          <p className="muted">Nothing else is blocked.</p>
        ) : (
          <ul className="roadblock-list">
            {page.tracker.map((b) => (
              <li key={b.key} data-testid="tracker-blocker" data-source={b.source}>
                <Link href={`${teamPath}/items/${encodeURIComponent(b.key)}`}>{b.key}</Link> {b.title ?? ""}{" "}
                <span className="muted">
                  blocked {b.age_days} {b.age_days === 1 ? "day" : "days"}
                  {b.reasons.length ? ` · ${b.reasons.join("; ")}` : ""} · from the tracker
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" data-testid="roadblocks-ended" data-count={ended.length}>
        <h2>Decided and ended</h2>
        {ended.length === 0 ? <p className="muted">None yet.</p> : <ul className="roadblock-list">{ended.map((r) => <Entry key={r.id} r={r} tz={tz} />)}</ul>}
      </section>
    </>
  );
}
