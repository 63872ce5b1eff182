// The outcomes chart and the impact table of one team and KPI: on the outcomes page and, read-only,
// on a shared outcomes view.
import type { ReactNode } from "react";
import { periodOf, type KpiGrain } from "@/lib/metrics/compute/kpi";
import type { OutcomesView } from "@/lib/metrics/outcomes";
import type { Annotation } from "@/lib/services/annotations";
import { trendLinePeriods, trendVerdict, type TrendVerdict } from "@/lib/views/trend-line";
import { periodSpans } from "../charts/annotation-marks";
import { KpiMilestoneChart, type MilestoneMarker } from "../charts/kpi-milestone-chart";

const fmt = (v: number | null, digits = 1) => (v === null ? "–" : Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(v));
const signed = (v: number | null, relative: number | null) =>
  v === null ? "–" : `${v >= 0 ? "+" : ""}${fmt(v)}${relative === null ? "" : ` (${(relative * 100).toFixed(1)}%)`}`;

function verdictText(v: TrendVerdict): string {
  switch (v.kind) {
    case "open":
      return "–";
    case "no-after":
      return "no data after the ship date yet";
    case "too-few-before":
      return `no trend: ${v.days} ${v.days === 1 ? "day" : "days"} with data before the ship date, 2 needed`;
    case "no-spread":
      return "trend from only 2 days before: its usual variation is unknown";
    case "on-trend":
      return "right on its trend";
    case "within":
      return `within its usual variation (±2 × ${fmt(v.residualSd)} per day)`;
    case "beyond":
      return `moved beyond its trend: ${v.direction} it by more than 2 × ${fmt(v.residualSd)} per day`;
  }
}

function markersOf(view: OutcomesView, grain: KpiGrain): MilestoneMarker[] {
  return view.milestones.map((m) => ({
    key: m.key,
    name: m.name,
    shipped: m.shipped_on ? periodOf(m.shipped_on, grain) : null,
    due: m.due_on ? periodOf(m.due_on, grain) : null,
    detail: `${m.items} items done, ${m.effort_days} cycle-time days${m.shipped_on ? `, shipped ${m.shipped_on}` : ""}`,
    band: m.forecast?.p50 && (m.forecast.p95 ?? m.forecast.p85) ? { from: periodOf(m.forecast.p50, grain), to: periodOf((m.forecast.p95 ?? m.forecast.p85)!, grain) } : null,
  }));
}

/** Every period the chart draws: the KPI's, and those of ship dates, due dates and forecast bands. */
export function chartPeriods(view: OutcomesView, grain: KpiGrain): string[] {
  return [...view.series.map((s) => s.period), ...markersOf(view, grain).flatMap((m) => [m.shipped, m.due, m.band?.from, m.band?.to].filter((p): p is string => !!p))];
}

export function OutcomesReport({ view, grain, annotations, overlay, overlayToggle }: { view: OutcomesView; grain: KpiGrain; annotations: readonly Annotation[]; overlay: boolean; overlayToggle?: ReactNode }) {
  const unit = view.kpi.unit;
  const markers = markersOf(view, grain);
  return (
    <>
      <section className="card" data-testid="kpi-chart" style={{ marginTop: "1rem" }}>
        <h2>
          {view.kpi.name} ({grain === "day" ? "daily" : grain === "week" ? "weekly" : "monthly"}, {view.kpi.aggregation})
        </h2>
        {overlayToggle ? <p className="explain">{overlayToggle}</p> : null}
        <KpiMilestoneChart
          series={view.series}
          unit={unit}
          overlay={overlay ? view.milestoneThroughput : undefined}
          trends={view.milestones.flatMap((m) =>
            m.trend && m.shipped_on ? [{ key: m.key, name: m.name, points: trendLinePeriods(m.trend, m.shipped_on, view.window, view.kpi.aggregation, grain) }] : [],
          )}
          markers={markers}
          annotations={periodSpans(annotations, (d) => periodOf(d, grain))}
        />
      </section>
      <section className="card">
        <h2>Impact and effort per milestone</h2>
        <p className="explain">
          Mean daily {view.kpi.name} in the {view.window} days before the ship date against the ship date and the {view.window - 1} days after; effort is the
          finished items and their summed cycle-time days. Trend after: the straight line through the days before, averaged over the days after; vs trend: after
          minus that. A difference smaller than twice the usual spread of the days before around their line (their residual standard deviation) is
          within the KPI&apos;s usual variation.
        </p>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Milestone impact">
          <table data-testid="impact-table">
            <thead>
              <tr>
                <th scope="col">Milestone</th>
                <th scope="col">Due</th>
                <th scope="col">Shipped / forecast</th>
                <th scope="col">Items done</th>
                <th scope="col">Effort (days)</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Change</th>
                <th scope="col">Trend after</th>
                <th scope="col">vs trend</th>
                <th scope="col">Beyond the trend?</th>
              </tr>
            </thead>
            <tbody>
              {view.milestones.map((m) => (
                <tr key={m.key} data-milestone={m.key}>
                  <th scope="row">{m.name}</th>
                  <td>{m.due_on ?? "–"}</td>
                  <td>
                    {m.shipped_on ??
                      (m.forecast?.p85 ? `open: 85% likely by ${m.forecast.p85} (${m.open_items} items left)` : m.open_items > 0 ? "open: no recent throughput to forecast" : "open")}
                  </td>
                  <td>{m.items}</td>
                  <td>{m.effort_days}</td>
                  <td>{fmt(m.before)}</td>
                  <td>{fmt(m.after)}</td>
                  <td data-testid="impact-change">{signed(m.change, m.relative_change)}</td>
                  <td>{fmt(m.trend_after)}</td>
                  <td data-testid="impact-change-vs-trend">{signed(m.change_vs_trend, m.relative_change_vs_trend)}</td>
                  <td data-testid="impact-verdict">{verdictText(trendVerdict(m))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
