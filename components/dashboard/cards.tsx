"use client";

// One card per chart: each owns its query; the charts only draw what they are given.
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { annotationsQuery, chartDecisionsQuery, dayItemsQuery, metricQuery, openRoadblocksQuery } from "@/lib/client/api";
import { blockedShare, cycleTimeHistogram } from "@/lib/metrics/compute/distribution";
import { QUALITY_GUIDE } from "@/lib/metrics/compute/quality";
import type { TeamStatus } from "@/lib/services/teams";
import { isoWeek, localDate } from "@/lib/time/calendar";
import { agingList, countStalled, markStalled, STALLED_FOR, STALLED_NOTE, stalledKeys } from "@/lib/views/aging-view";
import { cfdPlot } from "@/lib/views/cfd-view";
import { withDecisionMarks } from "@/lib/views/decision-marks";
import { withProposals } from "@/lib/views/roadblock-view";
import type { CfdCount, MetricRequest } from "@/lib/views/dashboard-view";
import { AgingChart } from "../charts/aging-chart";
import { placeMarks, timeMarks, windowSpan } from "../charts/annotation-marks";
import { BarSeries } from "../charts/bar-series";
import { BlockersChart } from "../charts/blockers-chart";
import { CfdChart } from "../charts/cfd-chart";
import { CycleTimeScatter, percentileLabel } from "../charts/cycle-time-scatter";
import { WipChart } from "../charts/wip-chart";
import { percentileColors } from "../charts/theme";
import { ChartCard } from "./chart-card";
import { useShareMode } from "../share/share-mode";
import { DayPicker, itemHref, ItemKey, ItemListPanel, PeriodPicker } from "./item-list";

export interface CardProps {
  team: string;
  request: MetricRequest;
}

/** A card's loading/error/retry props from its query. */
function queryState(q: { status: "pending" | "error" | "success"; error: Error | null; refetch: () => unknown }) {
  return { status: q.status, error: q.error, onRetry: () => void q.refetch() };
}

/** A click on an item's dot or bar opens its page; in a shared view it does nothing. */
function useItemLink(team: string): ((key: string) => void) | undefined {
  const router = useRouter();
  const { shared } = useShareMode();
  return shared ? undefined : (key: string) => router.push(itemHref(team, key));
}

/** A chosen day still inside the window; a stale choice from another window reads as none. */
function inWindow(date: string | null, request: MetricRequest): string | null {
  return date !== null && date >= request.from && date <= request.to ? date : null;
}

/** The filters of a metric request that also narrow a drill-down. */
function requestFilters(request: MetricRequest) {
  return { ...(request.as_of ? { as_of: request.as_of } : {}), ...(request.type ? { type: request.type } : {}) };
}

/**
 * The team's annotations in the card's window (the same query as the annotations panel's), with
 * the decisions marked for the charts. A shared view shows its annotations only: it may not ask the API.
 */
function useAnnotations(team: string, request: MetricRequest) {
  const { shared } = useShareMode();
  const window = { from: request.from, to: request.to };
  const annotations = useQuery(annotationsQuery(team, window)).data ?? [];
  const decisions = useQuery({ ...chartDecisionsQuery(team, window), enabled: !shared }).data ?? [];
  return withDecisionMarks(annotations, shared ? [] : decisions);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function CycleTimeCard({ team, request, timezone }: CardProps & { timezone: string }) {
  const q = useQuery(metricQuery(team, "cycle-time", request));
  const annotations = useAnnotations(team, request);
  const open = useItemLink(team);
  const [listed, setListed] = useState(false);
  const items = q.data?.items ?? [];
  const p85 = q.data?.percentiles.p85;
  const hasP85 = p85 !== null && p85 !== undefined;
  // p85 is the value at nearest rank ceil(85% × n) of the ascending cycle times (spec §3); ties
  // mean that at least that many items took p85 days or less.
  const rank = Math.max(1, Math.ceil((85 * items.length) / 100));
  const atOrUnder = hasP85 ? items.filter((i) => i.cycle_time_days <= p85).sort((a, b) => a.cycle_time_days - b.cycle_time_days || a.finished_at.localeCompare(b.finished_at)) : [];
  return (
    <ChartCard
      id="cycle-time"
      title="Cycle time"
      explanation="Each dot is a finished item: when it finished and how many days it took. Dashed lines: the share of items that took that long or less."
      {...queryState(q)}
      empty={items.length === 0}
      emptyMessage="No items finished in this range. Widen the range, or import work history: npx throughline import history FILE."
      summary={
        hasP85 ? (
          <>
            <span data-testid="p85-summary">{percentileLabel("p85", p85)}</span> ·{" "}
            <button type="button" className="link" aria-expanded={listed} data-testid="p85-items" onClick={() => setListed(!listed)}>
              which items?
            </button>
          </>
        ) : undefined
      }
      columns={["key", "title", "type", "started_at", "finished_at", "cycle_time_days", "cycle_time_hours"]}
      rows={items}
      csvName={`${team}-cycle-time.csv`}
    >
      {q.data ? (
        <div data-count={items.length} data-p85={p85 ?? ""} className="scatter-wrap">
          <CycleTimeScatter
            points={items.map((i) => ({ finishedMs: Date.parse(i.finished_at), days: i.cycle_time_days, key: i.key, title: i.title, type: i.type }))}
            percentiles={q.data.percentiles}
            onSelect={open}
            domain={windowSpan(request, timezone)}
            annotations={timeMarks(annotations, request, timezone)}
          />
        </div>
      ) : null}
      {listed && hasP85 ? (
        <ItemListPanel
          team={team}
          id="p85"
          heading={`${plural(atOrUnder.length, "item")} in ${plural(p85, "day")} or less`}
          note={`p85 is the cycle time of the item at rank ${rank} of ${items.length}, sorted from fastest (rank ⌈85% × ${items.length}⌉): ${p85} days. These are the finished items of the range that took that long or less.`}
          status="success"
          items={atOrUnder.map((i) => ({ key: i.key, title: i.title, detail: `${plural(i.cycle_time_days, "day")}` }))}
          onClose={() => setListed(false)}
        />
      ) : null}
    </ChartCard>
  );
}

export function HistogramCard({ team, request }: CardProps) {
  const q = useQuery(metricQuery(team, "cycle-time", request));
  const [days, setDays] = useState<number | null>(null);
  const bins = cycleTimeHistogram(q.data?.items.map((i) => i.cycle_time_days) ?? []);
  const markers = q.data
    ? (Object.entries(q.data.percentiles) as [string, number | null][])
        .filter(([p, v]) => v !== null && (p === "p50" || p === "p85"))
        .map(([p, v]) => ({ label: p, at: String(v), color: percentileColors[p] }))
    : [];
  const bin = bins.find((b) => b.days === days && b.count > 0);
  const listed = bin ? (q.data?.items ?? []).filter((i) => i.cycle_time_days === bin.days) : [];
  return (
    <ChartCard
      id="histogram"
      title="Cycle-time distribution"
      explanation="How many finished items took each number of days. A long tail to the right means unpredictable delivery. Click a bar for its items."
      {...queryState(q)}
      empty={bins.length === 0}
      columns={["days", "count"]}
      rows={bins}
      csvName={`${team}-cycle-time-histogram.csv`}
    >
      <BarSeries data={bins.map((b) => ({ label: String(b.days), value: b.count }))} valueName="Items" markers={markers} onSelect={(i) => setDays(bins[i]?.days ?? null)} />
      <PeriodPicker
        label="List the items that took"
        value={bin ? String(bin.days) : null}
        options={bins.filter((b) => b.count > 0).map((b) => ({ value: String(b.days), label: `${plural(b.days, "day")} (${b.count})` }))}
        onChange={(v) => setDays(v === null ? null : Number(v))}
      />
      {bin ? (
        <ItemListPanel
          team={team}
          id="histogram"
          subject={String(bin.days)}
          heading={`${plural(bin.count, "item")} took ${plural(bin.days, "day")}`}
          expected={bin.count}
          status="success"
          items={listed.map((i) => ({ key: i.key, title: i.title, detail: i.type }))}
          onClose={() => setDays(null)}
        />
      ) : null}
    </ChartCard>
  );
}

export function ThroughputCard({ team, request, timezone, interval, onInterval }: CardProps & { timezone: string; interval: "day" | "week"; onInterval: (i: "day" | "week") => void }) {
  const q = useQuery(metricQuery(team, "throughput", request));
  // A bar's items are the cycle-time items of the same request: the same finished, non-discarded
  // items, counted by the local date of their finish.
  const cycle = useQuery(metricQuery(team, "cycle-time", request));
  const annotations = useAnnotations(team, request);
  const [period, setPeriod] = useState<string | null>(null);
  const rows = interval === "week" ? (q.data?.weekly.map((w) => ({ period: w.week, count: w.count })) ?? []) : (q.data?.daily.map((d) => ({ period: d.date, count: d.count })) ?? []);
  const total = q.data?.daily.reduce((s, d) => s + d.count, 0) ?? 0;
  const chosen = rows.find((r) => r.period === period && r.count > 0);
  const periodOf = (finishedAt: string) => {
    const date = localDate(new Date(finishedAt), timezone);
    return interval === "week" ? isoWeek(date) : date;
  };
  const listed = chosen ? (cycle.data?.items ?? []).filter((i) => periodOf(i.finished_at) === chosen.period) : [];
  return (
    <ChartCard
      id="throughput"
      title="Throughput"
      explanation={`Finished items per ${interval}. Steady bars mean a predictable pace; compare with WIP to see if you start more than you finish. Click a bar for its items.`}
      {...queryState(q)}
      summary={
        <>
          <span data-testid="throughput-total">{total}</span> items finished ·{" "}
          <button type="button" className="link" aria-pressed={interval === "week"} onClick={() => onInterval(interval === "week" ? "day" : "week")}>
            show {interval === "week" ? "daily" : "weekly"}
          </button>
        </>
      }
      columns={["period", "count"]}
      rows={rows}
      csvName={`${team}-throughput-${interval}.csv`}
    >
      <BarSeries
        data={rows.map((r) => ({ label: r.period.slice(5), value: r.count }))}
        valueName="Finished"
        onSelect={(i) => setPeriod(rows[i]?.period ?? null)}
        annotations={placeMarks(
          annotations,
          rows.map((r) => r.period),
          interval === "week" ? isoWeek : undefined,
        )}
      />
      <PeriodPicker
        label={interval === "week" ? "List the items finished in the week" : "List the items finished on"}
        value={chosen?.period ?? null}
        options={rows.filter((r) => r.count > 0).map((r) => ({ value: r.period, label: `${r.period} (${r.count})` }))}
        onChange={setPeriod}
      />
      {chosen ? (
        <ItemListPanel
          team={team}
          id="throughput"
          subject={chosen.period}
          heading={`${plural(chosen.count, "item")} finished ${interval === "week" ? "in" : "on"} ${chosen.period}`}
          expected={chosen.count}
          status={cycle.status}
          error={cycle.error}
          items={listed.map((i) => ({ key: i.key, title: i.title, detail: i.type }))}
          onClose={() => setPeriod(null)}
        />
      ) : null}
    </ChartCard>
  );
}

export function WipCard({ team, request, limit }: CardProps & { limit: number | null }) {
  const q = useQuery(metricQuery(team, "wip", request));
  const annotations = useAnnotations(team, request);
  const [picked, setPicked] = useState<string | null>(null);
  // A shared view holds no day lists and may not ask the API for them.
  const { shared } = useShareMode();
  const date = shared ? null : inWindow(picked, request);
  const items = useQuery(dayItemsQuery(team, date ? { date, kind: "wip", ...requestFilters(request) } : null));
  const daily = q.data?.daily ?? [];
  const over = daily.filter((d) => d.over_limit).length;
  const shown = daily.find((d) => d.date === date)?.wip;
  return (
    <ChartCard
      id="wip"
      title="Work in progress"
      explanation="Items in progress on each day. Above the dashed limit line the team is starting more than it finishes. Click a day for its items."
      {...queryState(q)}
      summary={limit !== null ? <span data-testid="wip-over">{over} of {daily.length} days over the limit of {limit}</span> : undefined}
      columns={["date", "wip", "over_limit"]}
      rows={daily.map((d) => ({ date: d.date, wip: d.wip, over_limit: d.over_limit ?? null }))}
      csvName={`${team}-wip.csv`}
    >
      <WipChart
        daily={daily}
        limit={limit}
        selected={date}
        onSelectDate={shared ? undefined : setPicked}
        annotations={placeMarks(
          annotations,
          daily.map((d) => d.date),
        )}
      />
      {shared ? null : <DayPicker label="List the items in progress on" value={date} min={request.from} max={request.to} onChange={setPicked} />}
      {date ? (
        <ItemListPanel
          team={team}
          id="wip"
          subject={date}
          heading={`${plural(shown ?? 0, "item")} in progress on ${date}`}
          note="In progress at any moment of the day; beside each, its status at the end of the day."
          expected={shown}
          status={items.status}
          error={items.error}
          items={(items.data?.items ?? []).map((i) => ({ key: i.key, title: i.title, detail: i.status }))}
          onClose={() => setPicked(null)}
        />
      ) : null}
    </ChartCard>
  );
}

export function CfdCard({ team, request, statuses, count, onCount }: CardProps & { statuses: TeamStatus[]; count: CfdCount; onCount: (count: CfdCount) => void }) {
  const q = useQuery(metricQuery(team, "cfd", request));
  const annotations = useAnnotations(team, request);
  const [picked, setPicked] = useState<{ date: string; status: string | null } | null>(null);
  const { shared } = useShareMode();
  const date = shared ? null : inWindow(picked?.date ?? null, request);
  const status = date ? (picked?.status ?? null) : null;
  const items = useQuery(dayItemsQuery(team, date && status ? { date, kind: "status", status, ...requestFilters(request) } : null));
  const daily = q.data?.daily ?? [];
  const names = q.data?.statuses ?? [];
  const plot = cfdPlot(
    statuses.map((s) => ({ name: s.name, category: s.category })),
    daily,
    count,
  );
  const day = daily.find((d) => d.date === date);
  return (
    <ChartCard
      id="cfd"
      title="Cumulative flow"
      explanation={`Items in each status at the end of each day, done at the bottom${count === "since" ? ", counted from the first day of the range" : ""}. Bands that widen are where work piles up. Click a day for its items.`}
      {...queryState(q)}
      summary={
        count === "since" ? (
          <>
            Done counted from {request.from} ({plural(plot.baseline, "item")} {plot.baseline === 1 ? "was" : "were"} done by its end) ·{" "}
            <button type="button" className="link" data-testid="cfd-count" onClick={() => onCount("total")}>
              show the full count
            </button>
          </>
        ) : (
          <>
            Done: the full count ·{" "}
            <button type="button" className="link" data-testid="cfd-count" onClick={() => onCount("since")}>
              count done from {request.from}
            </button>
          </>
        )
      }
      // The table and the CSV keep the API's numbers, whichever way the chart counts done.
      columns={["date", ...names]}
      rows={daily.map((d) => ({ date: d.date, ...d.by_status }))}
      csvName={`${team}-cumulative-flow.csv`}
    >
      <div data-cfd={count} data-first-done={plot.firstDayDone} data-baseline={plot.baseline}>
        <CfdChart
          bands={plot.bands}
          rows={plot.rows}
          selected={date}
          onSelectDate={shared ? undefined : (d) => setPicked({ date: d, status: picked?.status ?? null })}
          annotations={placeMarks(
            annotations,
            plot.rows.map((r) => r.date),
          )}
        />
      </div>
      {shared ? null : (
        <DayPicker label="List the items of a band on" value={date} min={request.from} max={request.to} onChange={(d) => setPicked(d ? { date: d, status: picked?.status ?? null } : null)} />
      )}
      {date && day ? (
        <div className="drill" data-testid="cfd-day">
          <div className="drill-head">
            <h3>At the end of {date}</h3>
            <button type="button" className="link" onClick={() => setPicked(null)}>
              Close
            </button>
          </div>
          <ul className="band-choices" aria-label={`Statuses on ${date}`}>
            {names.map((n) => (
              <li key={n}>
                <button type="button" aria-pressed={status === n} data-band={n} onClick={() => setPicked({ date, status: n })}>
                  {n} <strong>{day.by_status[n] ?? 0}</strong>
                </button>
              </li>
            ))}
          </ul>
          {status ? (
            <ItemListPanel
              team={team}
              id="cfd"
              subject={`${date} ${status}`}
              heading={`${plural(day.by_status[status] ?? 0, "item")} in ${status}`}
              expected={day.by_status[status] ?? 0}
              status={items.status}
              error={items.error}
              items={(items.data?.items ?? []).map((i) => ({ key: i.key, title: i.title, detail: i.type }))}
              onClose={() => setPicked({ date, status: null })}
            />
          ) : null}
        </div>
      ) : null}
    </ChartCard>
  );
}

export function AgingCard({ team, request, reference, statuses }: CardProps & { reference: MetricRequest; statuses: TeamStatus[] }) {
  const aging = useQuery(metricQuery(team, "aging", request));
  const cycle = useQuery(metricQuery(team, "cycle-time", reference));
  // Stalled is the quality report's check for the same request, which the dashboard already holds
  // (its own card). A shared view may not ask the API: without the report there, nothing is marked.
  const { shared } = useShareMode();
  const quality = useQuery({ ...metricQuery(team, "quality", request), enabled: !shared });
  const open = useItemLink(team);
  const [onlyStalled, setOnlyStalled] = useState(false);
  const columns = statuses.filter((s) => s.category === "in_progress").map((s) => s.name);
  const keys = stalledKeys(quality.data);
  const items = markStalled(aging.data?.items ?? [], keys);
  const stalled = countStalled(items, keys);
  const listOnlyStalled = onlyStalled && (stalled ?? 0) > 0;
  const status = aging.status === "success" && cycle.status === "success" ? "success" : aging.status === "error" || cycle.status === "error" ? "error" : "pending";
  const late = (e: string | null) => e === "p85" || e === "p95";
  return (
    <ChartCard
      id="aging"
      title="Aging work in progress"
      explanation="Each in-progress item in its current column at its age in days. Bands show how long 50/70/85/95% of recent items took; red dots are older than 85% of them; outlined dots have stalled."
      status={status}
      error={aging.error ?? cycle.error}
      onRetry={() => {
        void aging.refetch();
        void cycle.refetch();
      }}
      empty={items.length === 0}
      emptyMessage="Nothing is in progress."
      summary={
        stalled === null ? undefined : (
          <>
            <span data-testid="aging-stalled" data-count={stalled}>
              {stalled === 0 ? "none stalled" : `${stalled} stalled`}
            </span>{" "}
            <span className="muted">({STALLED_FOR})</span>
            {stalled > 0 ? (
              <>
                {" "}
                ·{" "}
                <button type="button" className="link" aria-pressed={listOnlyStalled} data-testid="aging-only-stalled" onClick={() => setOnlyStalled(!onlyStalled)}>
                  {listOnlyStalled ? "list all" : "list only stalled"}
                </button>
              </>
            ) : null}
          </>
        )
      }
      columns={["key", "title", "status", "started_at", "age_days", "exceeds", ...(stalled === null ? [] : ["stalled"])]}
      rows={stalled === null ? items : items.map((i) => ({ ...i, stalled: i.stalled ? "yes" : "no" }))}
      csvName={`${team}-aging.csv`}
    >
      {cycle.data ? (
        <div className="aging-layout">
          <AgingChart
            points={items.map((i) => ({ column: Math.max(0, columns.indexOf(i.status)), age: i.age_days, key: i.key, title: i.title, status: i.status, late: late(i.exceeds), stalled: i.stalled }))}
            columns={columns}
            percentiles={cycle.data.percentiles}
            onSelect={open}
          />
          <ol className="aging-list" aria-label={listOnlyStalled ? "Stalled items, oldest first" : "In-progress items, oldest first"} data-testid="aging-list">
            {agingList(items, listOnlyStalled).map((i) => (
              <li key={i.key} className={late(i.exceeds) ? "late" : undefined}>
                <ItemKey team={team} itemKey={i.key} />{" "}
                {i.stalled ? (
                  <span className="stalled-badge" data-testid="stalled-badge" title={STALLED_NOTE}>
                    stalled
                  </span>
                ) : null}{" "}
                <span className="muted">{i.status}</span> <strong>{i.age_days} d</strong>
                {shared ? null : (
                  <>
                    {" "}
                    <a className="muted" data-testid="aging-report" href={`${itemHref(team, i.key)}#report-roadblock`} aria-label={`Report a roadblock on ${i.key}`}>
                      report a roadblock
                    </a>
                  </>
                )}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </ChartCard>
  );
}

export function BlockersCard({ team, request }: CardProps) {
  const blockers = useQuery(metricQuery(team, "blockers", request));
  const cycle = useQuery(metricQuery(team, "cycle-time", request));
  const openItem = useItemLink(team);
  const { shared } = useShareMode();
  // Proposals come from the roadblocks API, joined by key here: the metric's shape stays the spec's.
  const roadblocks = useQuery({ ...openRoadblocksQuery(team), enabled: !shared }).data ?? [];
  const open = withProposals(blockers.data?.open ?? [], roadblocks);
  const share = blockers.data && cycle.data ? blockedShare(cycle.data.items, blockers.data.items) : null;
  const byReason = blockers.data?.by_reason ?? [];
  return (
    <ChartCard
      id="blockers"
      title="Blockers"
      explanation="Items blocked right now, longest-blocked first, with why; below, where blocked time went. Click a bar or a key to open the item."
      {...queryState(blockers)}
      summary={
        share && share.share !== null ? (
          <span data-testid="blocked-share">
            {Math.round(share.share * 100)}% of finished items&apos; time was blocked ({share.blockedItems} of {share.items} items)
          </span>
        ) : undefined
      }
      columns={["key", "title", "blocked_since", "age_days", "age_hours", "reasons"]}
      rows={(blockers.data?.open ?? []).map((o) => ({ ...o, reasons: o.reasons.join("; ") }))}
      csvName={`${team}-open-blockers.csv`}
    >
      {open.length === 0 ? (
        <p className="empty-chart">Nothing is blocked right now.</p>
      ) : (
        <>
          <BlockersChart bars={open.map((o) => ({ key: o.key, days: o.age_days, reasons: o.reasons.join("; ") }))} onSelect={openItem} />
          <ol className="drill-list blockers-list" aria-label="Open blockers, longest-blocked first">
            {open.map((o) => (
              <li key={o.key}>
                <ItemKey team={team} itemKey={o.key} testId="blocker-item" />
                <span className="drill-title">{o.title}</span>
                <span className="muted">
                  {plural(o.age_days, "day")}
                  {o.reasons.length > 0 ? ` · ${o.reasons.join("; ")}` : ""}
                </span>
                {o.roadblocks.map((r) => (
                  <a key={r.id} className="blocker-proposal" data-testid="blocker-proposal" href={`/teams/${encodeURIComponent(team)}/roadblocks/${r.id}`}>
                    proposal: {r.proposal}
                  </a>
                ))}
                {shared ? null : (
                  <a className="muted" data-testid="blocker-report" href={`${itemHref(team, o.key)}#report-roadblock`}>
                    report a roadblock
                  </a>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {byReason.length > 0 ? (
        <table className="reasons">
          <caption>Blocked hours by reason, every item up to as of</caption>
          <tbody>
            {byReason.slice(0, 8).map((r) => (
              <tr key={r.reason}>
                <th scope="row">{r.reason}</th>
                <td>{r.hours} h</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </ChartCard>
  );
}

export function QualityCard({ team, request }: CardProps) {
  const q = useQuery(metricQuery(team, "quality", request));
  const checks = q.data?.checks ?? [];
  const titles = q.data?.titles ?? {};
  const flagged = new Set(checks.flatMap((c) => c.items)).size;
  return (
    <ChartCard
      id="quality"
      className="card-wide"
      title="Data quality"
      explanation="Items whose history makes a number above look off, check by check: what it does to the numbers, what to do, and the items. Covers the items that moved in this range."
      {...queryState(q)}
      empty={q.data?.items_checked === 0}
      emptyMessage="No item moved in this range."
      summary={
        q.data ? (
          <span data-testid="quality-summary">
            {plural(flagged, "item")} of {q.data.items_checked} checked {flagged === 1 ? "fails" : "fail"} a check
          </span>
        ) : undefined
      }
      columns={["check", "label", "count", "items"]}
      rows={checks.map((c) => ({ check: c.check, label: QUALITY_GUIDE[c.check].label, count: c.count, items: c.items.join(" ") }))}
      csvName={`${team}-data-quality.csv`}
    >
      <ul className="dq-checks">
        {checks.map((c) => (
          <li key={c.check} data-check={c.check} data-count={c.count}>
            <div className="dq-head">
              <strong>{QUALITY_GUIDE[c.check].label}</strong> <span className={c.count > 0 ? "dq-count over" : "dq-count muted"}>{c.count === 0 ? "none" : plural(c.count, "item")}</span>
            </div>
            <p className="dq-meaning">{QUALITY_GUIDE[c.check].meaning}</p>
            {c.items.length > 0 ? (
              <ul className="dq-items" aria-label={`${QUALITY_GUIDE[c.check].label}: items`}>
                {c.items.map((key) => (
                  <li key={key}>
                    <ItemKey team={team} itemKey={key} title={titles[key]} testId="quality-item" />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </ChartCard>
  );
}
