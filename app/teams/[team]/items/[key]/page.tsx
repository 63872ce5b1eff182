import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import type { ItemBlockedInterval, ItemDetail } from "@/lib/metrics/item-detail";
import { forPage, pageContext } from "@/lib/services/entries";
import { getItemDetail } from "@/lib/services/items";
import { getItemRoadblocks } from "@/lib/services/roadblocks";
import { ReportRoadblockForm } from "@/components/review/review-forms";
import { waitingLabel } from "@/lib/views/roadblock-view";
import { reportRoadblockAction } from "../../roadblocks/actions";
import { formatLocalDateTime } from "@/lib/time/format";
import { decodedParam, pathWithSearch } from "@/lib/views/route-params";

type Props = { params: Promise<{ team: string; key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { key } = await params;
  return { title: decodedParam(key) };
}

// Only web links become anchors: a tracker URL such as "javascript:…" must not be clickable.
const isWebUrl = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

/** An instant for people (the team's wall clock) with the ISO form kept for machines. */
function When({ at, tz }: { at: string; tz: string }) {
  return <time dateTime={at}>{formatLocalDateTime(new Date(at), tz)}</time>;
}

const list = (names: string[]) => (names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`);

function Explanation({ item }: { item: ItemDetail }) {
  const tz = item.team.timezone;
  const { start, restarts, finish, reopenings } = item.explanation;
  const lines: ReactNode[] = [];

  if (!item.status) lines.push(<>Not on the board yet, so not started.</>);
  else if (!start) lines.push(<>Not started: it is in {item.status}, a to-do status.</>);
  else if (start.into_done)
    lines.push(
      <>
        Started when it entered {start.to} on <When at={start.at} tz={tz} />
        {start.from ? `, straight from ${start.from}, its last to-do status` : ", its first transition"}: it skipped in progress, so it started when it
        entered done.
      </>,
    );
  else if (start.kind === "left_todo")
    lines.push(
      <>
        Started when it left {start.from}, its last to-do status, on <When at={start.at} tz={tz} /> (moved to {start.to}).
      </>,
    );
  else
    lines.push(
      <>
        Started at its first transition, into {start.to}, on <When at={start.at} tz={tz} />: it was never in a to-do status.
      </>,
    );

  restarts.forEach((r, i) => {
    const last = i === restarts.length - 1;
    lines.push(
      !start && last ? (
        <>
          Moved back to {r.to} on <When at={r.at} tz={tz} />: its start on <When at={r.erased_start} tz={tz} /> no longer counts, and it has not started
          again.
        </>
      ) : (
        <>
          Restarted after a move back to {r.to} on <When at={r.at} tz={tz} />: the earlier start on <When at={r.erased_start} tz={tz} /> no longer counts.
        </>
      ),
    );
  });

  for (const r of reopenings) {
    lines.push(
      <>
        Reopened on <When at={r.at} tz={tz} />, from {r.from} to {r.to}, undoing the finish on <When at={r.undone_finish} tz={tz} />
        {r.to_category === "todo" ? " (a to-do status, so it also restarted)" : "; it kept its start"}.{" "}
        {r.finished_again_at ? (
          <>
            Finished again on <When at={r.finished_again_at} tz={tz} />.
          </>
        ) : (
          "Not finished again yet."
        )}
      </>,
    );
  }

  if (finish) {
    const later = finish.later_moves.map((m) => m.to);
    lines.push(
      <>
        {finish.discarded ? "Discarded: finished" : "Finished"} when it entered {finish.to} on <When at={finish.at} tz={tz} />
        {later.length ? `; the later ${later.length === 1 ? "move" : "moves"} to ${list(later)} kept the finish` : ""}
        {finish.discarded ? `. ${item.status} is a discarded status, so it counts in no cycle time or throughput` : ""}.
      </>,
    );
  } else if (start) lines.push(<>Not finished: it is in {item.status}.</>);

  if (item.cycle_time_days !== null)
    lines.push(
      <>
        Cycle time {item.cycle_time_days} {item.cycle_time_days === 1 ? "day" : "days"}: the calendar days from the start to the finish, both counted (
        {item.cycle_time_hours} hours between them).
      </>,
    );
  else if (item.age_days !== null)
    lines.push(
      <>
        Age {item.age_days} {item.age_days === 1 ? "day" : "days"}: the calendar days from the start to now, both counted.
      </>,
    );

  return (
    <section className="card" data-testid="item-explanation">
      <h2>How its start and finish were set</h2>
      <ul className="explanation">
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

const CLIP_WHY: Record<ItemBlockedInterval["clipped"][number]["why"], string> = {
  before_start: "before the start",
  after_finish: "after the finish",
  not_started: "the item has not started",
};

function BlockedIntervals({ item }: { item: ItemDetail }) {
  const tz = item.team.timezone;
  if (item.blocked_intervals.length === 0) return null;
  return (
    <section className="card" data-testid="item-blocked-intervals">
      <h2>Blocked periods</h2>
      <p className="explain">
        Blocked time counts only between the start and the finish (or now); overlapping periods count once: {item.blocked_hours} hours in all.
      </p>
      <ul className="blocked-intervals">
        {item.blocked_intervals.map((b, i) => (
          <li key={i} data-counted={b.counted ? "yes" : "no"}>
            <strong>{b.source === "status" ? `In ${b.reason}` : b.reason ? `Flagged: ${b.reason}` : "Flagged"}</strong>{" "}
            <span className="muted">({b.source === "status" ? "a blocked status" : "a block"})</span>, <When at={b.start} tz={tz} /> →{" "}
            {b.end ? <When at={b.end} tz={tz} /> : "still open"}
            <ul>
              {b.counted ? (
                <li>
                  Counts: <When at={b.counted.start} tz={tz} /> → {b.counted.open ? "now" : <When at={b.counted.end} tz={tz} />} ({b.counted.hours} h)
                </li>
              ) : null}
              {b.clipped.map((c, j) => (
                <li key={j} className="muted">
                  Left out, {CLIP_WHY[c.why]}: <When at={c.start} tz={tz} /> → {b.end === null && c.why !== "before_start" ? "now" : <When at={c.end} tz={tz} />} (
                  {c.hours} h)
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Quality({ item }: { item: ItemDetail }) {
  return (
    <section className="card" data-testid="item-quality">
      <h2>Data quality</h2>
      {item.quality.length === 0 ? (
        <p className="explain">It passes every data-quality check.</p>
      ) : (
        <ul className="quality-checks">
          {item.quality.map((q) => (
            <li key={q.check} data-check={q.check}>
              <strong>{q.label}</strong>: {q.meaning}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default async function ItemPage({ params, searchParams }: Props) {
  await connection();
  const [{ team, key }, search] = await Promise.all([params, searchParams]);
  const asOfParam = typeof search.as_of === "string" && !Number.isNaN(Date.parse(search.as_of)) ? search.as_of : undefined;
  const [teamKey, itemKey] = [decodedParam(team), decodedParam(key)];
  const ctx = await pageContext(pathWithSearch(`/teams/${encodeURIComponent(teamKey)}/items/${encodeURIComponent(itemKey)}`, search));
  const item: ItemDetail = await forPage(getItemDetail(ctx, teamKey, itemKey, asOfParam ? new Date(asOfParam) : ctx.now));
  const review = await forPage(getItemRoadblocks(ctx, teamKey, item.key));
  const tz = item.team.timezone;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <Link href={`/teams/${encodeURIComponent(item.team.key)}`}>{item.team.name}</Link> / <span>{item.key}</span>
      </nav>
      <h1>
        {item.key}: {item.title}
      </h1>
      <p className="lede">
        {item.type} · now <strong data-testid="item-status">{item.status ?? "not on the board yet"}</strong>
        {item.milestone ? ` · milestone ${item.milestone}` : ""}
        {isWebUrl(item.url) ? (
          <>
            {" · "}
            <a href={item.url} rel="noreferrer" target="_blank">
              open in the tracker
            </a>
          </>
        ) : null}
        {` · times in ${tz}`}
      </p>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{item.started_at ? <When at={item.started_at} tz={tz} /> : "not started"}</dd>
        <dt>Finished</dt>
        <dd>
          {item.finished_at ? (
            <>
              <When at={item.finished_at} tz={tz} />
              {item.discarded ? " (discarded)" : ""}
            </>
          ) : (
            "not finished"
          )}
        </dd>
        {item.cycle_time_days !== null ? (
          <>
            <dt>Cycle time</dt>
            <dd data-testid="item-cycle-time">
              {item.cycle_time_days} days ({item.cycle_time_hours} hours)
            </dd>
          </>
        ) : null}
        {item.age_days !== null ? (
          <>
            <dt>Age</dt>
            <dd>{item.age_days} days in progress</dd>
          </>
        ) : null}
        <dt>Blocked</dt>
        <dd>
          {item.blocked_hours} hours
          {item.open_blocker ? (
            <>
              {" — blocked since "}
              <When at={item.open_blocker.since} tz={tz} />
              {item.open_blocker.reasons.length ? ` (${item.open_blocker.reasons.join("; ")})` : ""}
            </>
          ) : null}
        </dd>
      </dl>
      <Explanation item={item} />
      <section className="card">
        <h2>Status timeline</h2>
        <ol className="timeline" data-testid="timeline">
          {item.timeline.map((t, i) => (
            <li key={i} className={`cat-${t.category}`}>
              <When at={t.at} tz={tz} /> <strong>{t.to}</strong> <span className="muted">({t.category.replace("_", " ")})</span>
              {t.hours_in_status !== null ? <span className="muted"> · {t.hours_in_status} h there</span> : null}
            </li>
          ))}
        </ol>
      </section>
      <BlockedIntervals item={item} />
      <section className="card" id="report-roadblock" data-testid="item-roadblocks">
        <h2>Roadblocks</h2>
        {review.roadblocks.length === 0 ? (
          <p className="explain">No roadblock reported on this item.</p>
        ) : (
          <ul className="roadblock-list">
            {review.roadblocks.map((r) => (
              <li key={r.id} data-testid="item-roadblock">
                <Link href={r.path}>#{r.id}</Link> {r.problem} <span className="muted">— proposal: {r.proposal}</span>{" "}
                <span className="muted">
                  {r.ended_at ? "ended" : r.waiting_hours !== null ? waitingLabel(r.waiting_hours) : `open, ${r.decision ?? "answered"}`}
                </span>
              </li>
            ))}
          </ul>
        )}
        {review.may_report ? (
          <>
            <h3>Report a roadblock</h3>
            <p className="explain">It counts as a block from the time you give until a reviewer&apos;s decision ends it.</p>
            <ReportRoadblockForm report={reportRoadblockAction} team={item.team.key} item={item.key} />
          </>
        ) : null}
      </section>
      <Quality item={item} />
    </>
  );
}
