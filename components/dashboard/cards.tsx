"use client";

// One card per chart: each owns its query; the charts only draw what they are given.
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { metricQuery } from "@/lib/client/api";
import { blockedShare, cycleTimeHistogram } from "@/lib/metrics/compute/distribution";
import type { TeamStatus } from "@/lib/db/queries/teams";
import type { MetricRequest } from "@/lib/views/dashboard-view";
import { AgingChart } from "../charts/aging-chart";
import { BarSeries } from "../charts/bar-series";
import { BlockersChart } from "../charts/blockers-chart";
import { CfdChart } from "../charts/cfd-chart";
import { CycleTimeScatter, percentileLabel } from "../charts/cycle-time-scatter";
import { WipChart } from "../charts/wip-chart";
import { percentileColors } from "../charts/theme";
import { ChartCard } from "./chart-card";

export interface CardProps {
  team: string;
  request: MetricRequest;
}

/** A card's loading/error/retry props from its query. */
function queryState(q: { status: "pending" | "error" | "success"; error: Error | null; refetch: () => unknown }) {
  return { status: q.status, error: q.error, onRetry: () => void q.refetch() };
}

function useItemLink(team: string) {
  const router = useRouter();
  return (key: string) => router.push(`/teams/${encodeURIComponent(team)}/items/${encodeURIComponent(key)}`);
}

export function CycleTimeCard({ team, request }: CardProps) {
  const q = useQuery(metricQuery(team, "cycle-time", request));
  const open = useItemLink(team);
  const items = q.data?.items ?? [];
  const p85 = q.data?.percentiles.p85;
  return (
    <ChartCard
      id="cycle-time"
      title="Cycle time"
      explanation="Each dot is a finished item: when it finished and how many days it took. Dashed lines: the share of items that took that long or less."
      {...queryState(q)}
      empty={items.length === 0}
      emptyMessage="No items finished in this range. Widen the range, or import work history: npx throughline import history FILE."
      summary={p85 !== null && p85 !== undefined ? <span data-testid="p85-summary">{percentileLabel("p85", p85)}</span> : undefined}
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
          />
        </div>
      ) : null}
    </ChartCard>
  );
}

export function HistogramCard({ team, request }: CardProps) {
  const q = useQuery(metricQuery(team, "cycle-time", request));
  const bins = cycleTimeHistogram(q.data?.items.map((i) => i.cycle_time_days) ?? []);
  const markers = q.data
    ? (Object.entries(q.data.percentiles) as [string, number | null][])
        .filter(([p, v]) => v !== null && (p === "p50" || p === "p85"))
        .map(([p, v]) => ({ label: p, at: String(v), color: percentileColors[p] }))
    : [];
  return (
    <ChartCard
      id="histogram"
      title="Cycle-time distribution"
      explanation="How many finished items took each number of days. A long tail to the right means unpredictable delivery."
      {...queryState(q)}
      empty={bins.length === 0}
      columns={["days", "count"]}
      rows={bins}
      csvName={`${team}-cycle-time-histogram.csv`}
    >
      <BarSeries data={bins.map((b) => ({ label: String(b.days), value: b.count }))} valueName="Items" markers={markers} />
    </ChartCard>
  );
}

export function ThroughputCard({ team, request, interval, onInterval }: CardProps & { interval: "day" | "week"; onInterval: (i: "day" | "week") => void }) {
  const q = useQuery(metricQuery(team, "throughput", request));
  const rows = interval === "week" ? (q.data?.weekly.map((w) => ({ period: w.week, count: w.count })) ?? []) : (q.data?.daily.map((d) => ({ period: d.date, count: d.count })) ?? []);
  const total = q.data?.daily.reduce((s, d) => s + d.count, 0) ?? 0;
  return (
    <ChartCard
      id="throughput"
      title="Throughput"
      explanation={`Finished items per ${interval}. Steady bars mean a predictable pace; compare with WIP to see if you start more than you finish.`}
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
      <BarSeries data={rows.map((r) => ({ label: r.period.slice(5), value: r.count }))} valueName="Finished" />
    </ChartCard>
  );
}

export function WipCard({ team, request, limit }: CardProps & { limit: number | null }) {
  const q = useQuery(metricQuery(team, "wip", request));
  const daily = q.data?.daily ?? [];
  const over = daily.filter((d) => d.over_limit).length;
  return (
    <ChartCard
      id="wip"
      title="Work in progress"
      explanation="Items in progress on each day. Above the dashed limit line the team is starting more than it finishes."
      {...queryState(q)}
      summary={limit !== null ? <span data-testid="wip-over">{over} of {daily.length} days over the limit of {limit}</span> : undefined}
      columns={["date", "wip", "over_limit"]}
      rows={daily.map((d) => ({ date: d.date, wip: d.wip, over_limit: d.over_limit ?? null }))}
      csvName={`${team}-wip.csv`}
    >
      <WipChart daily={daily} limit={limit} />
    </ChartCard>
  );
}

export function CfdCard({ team, request, statuses }: CardProps & { statuses: TeamStatus[] }) {
  const q = useQuery(metricQuery(team, "cfd", request));
  const daily = q.data?.daily ?? [];
  const names = q.data?.statuses ?? [];
  return (
    <ChartCard
      id="cfd"
      title="Cumulative flow"
      explanation="Items in each status at the end of each day, done at the bottom. Bands that widen are where work piles up."
      {...queryState(q)}
      columns={["date", ...names]}
      rows={daily.map((d) => ({ date: d.date, ...d.by_status }))}
      csvName={`${team}-cumulative-flow.csv`}
    >
      <CfdChart statuses={statuses.map((s) => ({ name: s.name, category: s.category }))} daily={daily} />
    </ChartCard>
  );
}

export function AgingCard({ team, request, reference, statuses }: CardProps & { reference: MetricRequest; statuses: TeamStatus[] }) {
  const aging = useQuery(metricQuery(team, "aging", request));
  const cycle = useQuery(metricQuery(team, "cycle-time", reference));
  const open = useItemLink(team);
  const columns = statuses.filter((s) => s.category === "in_progress").map((s) => s.name);
  const items = aging.data?.items ?? [];
  const status = aging.status === "success" && cycle.status === "success" ? "success" : aging.status === "error" || cycle.status === "error" ? "error" : "pending";
  const late = (e: string | null) => e === "p85" || e === "p95";
  return (
    <ChartCard
      id="aging"
      title="Aging work in progress"
      explanation="Each in-progress item in its current column at its age in days. Bands show how long 50/70/85/95% of recent items took; red dots are older than 85% of them."
      status={status}
      error={aging.error ?? cycle.error}
      onRetry={() => {
        void aging.refetch();
        void cycle.refetch();
      }}
      empty={items.length === 0}
      emptyMessage="Nothing is in progress."
      columns={["key", "title", "status", "started_at", "age_days", "exceeds"]}
      rows={items}
      csvName={`${team}-aging.csv`}
    >
      {cycle.data ? (
        <div className="aging-layout">
          <AgingChart
            points={items.map((i) => ({ column: Math.max(0, columns.indexOf(i.status)), age: i.age_days, key: i.key, title: i.title, status: i.status, late: late(i.exceeds) }))}
            columns={columns}
            percentiles={cycle.data.percentiles}
            onSelect={open}
          />
          <ol className="aging-list" aria-label="In-progress items, oldest first">
            {[...items]
              .sort((a, b) => b.age_hours - a.age_hours)
              .slice(0, 12)
              .map((i) => (
                <li key={i.key} className={late(i.exceeds) ? "late" : undefined}>
                  <a href={`/teams/${encodeURIComponent(team)}/items/${encodeURIComponent(i.key)}`}>{i.key}</a> <span className="muted">{i.status}</span> <strong>{i.age_days} d</strong>
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
  const open = blockers.data?.open ?? [];
  const share = blockers.data && cycle.data ? blockedShare(cycle.data.items, blockers.data.items) : null;
  const byReason = blockers.data?.by_reason ?? [];
  return (
    <ChartCard
      id="blockers"
      title="Blockers"
      explanation="Items blocked right now, longest-blocked first, with why; below, where blocked time went."
      {...queryState(blockers)}
      summary={
        share && share.share !== null ? (
          <span data-testid="blocked-share">
            {Math.round(share.share * 100)}% of finished items&apos; time was blocked ({share.blockedItems} of {share.items} items)
          </span>
        ) : undefined
      }
      columns={["key", "title", "blocked_since", "age_days", "age_hours", "reasons"]}
      rows={open.map((o) => ({ ...o, reasons: o.reasons.join("; ") }))}
      csvName={`${team}-open-blockers.csv`}
    >
      {open.length === 0 ? <p className="empty-chart">Nothing is blocked right now.</p> : <BlockersChart bars={open.map((o) => ({ key: o.key, days: o.age_days, reasons: o.reasons.join("; ") }))} />}
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
