// Readable tables for the CLI's non-JSON output.
import type { FlowMetric, } from "../lib/metrics/params";
import type { MetricResults } from "../lib/metrics/load";
import type { ForecastResult } from "../lib/metrics/forecast";
import type { MilestoneImpactResult } from "../lib/metrics/outcomes";

export function table(headers: string[], rows: (string | number | null | boolean)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? "–" : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (typeof rows[0]?.[i] === "number" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function formatMetric(metric: FlowMetric, result: MetricResults[FlowMetric]): string {
  switch (metric) {
    case "cycle-time": {
      const r = result as MetricResults["cycle-time"];
      const p = r.percentiles;
      return [
        `${r.count} finished items. Cycle time (days): p50 ${p.p50 ?? "–"}, p70 ${p.p70 ?? "–"}, p85 ${p.p85 ?? "–"}, p95 ${p.p95 ?? "–"}`,
        "",
        table(["key", "started_at", "finished_at", "days", "hours"], r.items.map((i) => [i.key, i.started_at, i.finished_at, i.cycle_time_days, i.cycle_time_hours])),
      ].join("\n");
    }
    case "throughput": {
      const r = result as MetricResults["throughput"];
      return table(["week", "finished"], r.weekly.map((w) => [w.week, w.count]));
    }
    case "wip": {
      const r = result as MetricResults["wip"];
      return table(["date", "wip", "over limit"], r.daily.map((d) => [d.date, d.wip, d.over_limit === undefined ? "" : d.over_limit ? "yes" : ""]));
    }
    case "cfd": {
      const r = result as MetricResults["cfd"];
      return table(["date", ...r.statuses], r.daily.map((d) => [d.date, ...r.statuses.map((s) => d.by_status[s] ?? 0)]));
    }
    case "aging": {
      const r = result as MetricResults["aging"];
      return table(["key", "status", "started_at", "age days", "exceeds"], r.items.map((i) => [i.key, i.status, i.started_at, i.age_days, i.exceeds]));
    }
    case "blockers": {
      const r = result as MetricResults["blockers"];
      return [
        `Open blockers: ${r.open.length}`,
        table(["key", "blocked since", "age days", "reasons"], r.open.map((o) => [o.key, o.blocked_since, o.age_days, o.reasons.join("; ")])),
        "",
        `Items with blocked time: ${r.items.length}`,
        table(["key", "blocked hours"], r.items.map((i) => [i.key, i.blocked_hours])),
      ].join("\n");
    }
    case "quality": {
      const r = result as MetricResults["quality"];
      return [
        `${r.items_checked} items checked.`,
        table(["check", "items", "keys"], r.checks.map((c) => [c.check, c.count, c.items.slice(0, 12).join(" ") + (c.items.length > 12 ? " …" : "")])),
      ].join("\n");
    }
  }
}

export function formatImpact(result: MilestoneImpactResult): string {
  const n = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  const pct = (v: number | null) => (v === null ? null : `${(v * 100).toFixed(1)}%`);
  return table(
    ["milestone", "shipped", "items", "effort days", "before", "after", "change", "change %", "trend after", "vs trend", "vs trend %", "residual sd"],
    result.milestones.map((m) => [
      m.key,
      m.shipped_on ?? "open",
      m.items,
      m.effort_days,
      n(m.before),
      n(m.after),
      n(m.change),
      pct(m.relative_change),
      n(m.trend_after),
      n(m.change_vs_trend),
      pct(m.relative_change_vs_trend),
      n(m.residual_sd),
    ]),
  );
}

export function formatForecast(r: ForecastResult): string {
  const head = `Monte Carlo forecast: ${r.trials} trials of the last ${r.history_days} days' throughput.`;
  if (r.when) {
    if (r.trials === 0) return `${head}\nNo item finished in those days: no forecast for ${r.when.items} items.`;
    return [head, table(["chance", `${r.when.items} items done by`], (["p50", "p70", "p85", "p95"] as const).map((p) => [`${p.slice(1)}%`, r.when![p] ?? "beyond 10 years"]))].join("\n");
  }
  const h = r.how_many!;
  return [head, table(["chance", `at least this many done by ${h.date}`], (["p50", "p70", "p85", "p95"] as const).map((p) => [`${p.slice(1)}%`, h[p]]))].join("\n");
}
