import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { KpiMilestoneChart } from "@/components/charts/kpi-milestone-chart";
import { OutcomesControls } from "@/components/outcomes/outcomes-controls";
import { AppError } from "@/lib/errors";
import { pageContext } from "@/lib/services/entries";
import { listKpiChoices } from "@/lib/services/kpis";
import { getOutcomesView } from "@/lib/services/outcomes";
import { listVisibleTeams } from "@/lib/services/teams";
import { pathWithSearch } from "@/lib/views/route-params";
import { periodOf, type KpiGrain } from "@/lib/metrics/compute/kpi";
import { DEFAULT_IMPACT_WINDOW } from "@/lib/metrics/outcomes";
import { trendLinePeriods, trendVerdict, type TrendVerdict } from "@/lib/views/trend-line";

export const metadata: Metadata = { title: "Outcomes" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
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

export default async function OutcomesPage({ searchParams }: Props) {
  await connection();
  const search = await searchParams;
  const ctx = await pageContext(pathWithSearch("/outcomes", search));
  const [teams, kpis] = await Promise.all([listVisibleTeams(ctx), listKpiChoices(ctx)]);
  if (teams.length === 0 || kpis.length === 0) {
    return (
      <div className="empty" data-testid="empty-state">
        <h1>Outcomes</h1>
        <p>
          Outcomes need a team with milestones and a KPI. Load the demo with <code>npx throughline demo</code>, or import KPI points with{" "}
          <code>npx throughline import kpi FILE</code>.
        </p>
      </div>
    );
  }
  const teamKey = teams.some((t) => t.key === one(search.team)) ? one(search.team)! : teams[0]!.key;
  const kpiKey = kpis.some((k) => k.key === one(search.kpi)) ? one(search.kpi)! : (kpis.find((k) => k.key === "mrr") ?? kpis[0]!).key;
  const grain = (["day", "week", "month"].includes(one(search.grain) ?? "") ? one(search.grain) : "week") as KpiGrain;
  const windowDays = Number(one(search.window)) || DEFAULT_IMPACT_WINDOW;
  let view;
  try {
    view = await getOutcomesView(ctx, { team: teamKey, kpi: kpiKey, window: windowDays, grain, as_of: one(search.as_of) });
  } catch (error) {
    // A hand-edited address (window=0, as_of=yesterday) gets the rule it broke, not an error page.
    if (!(error instanceof AppError)) throw error;
    return (
      <div className="error" role="alert" data-testid="outcomes-error">
        <p>This view cannot be shown: {error.message}</p>
        <Link href="/outcomes">Back to the default view</Link>
      </div>
    );
  }
  const unit = view.kpi.unit;
  return (
    <>
      <h1>Outcomes: {view.kpi.name}</h1>
      <p className="lede">
        Did the milestones of <Link href={`/teams/${encodeURIComponent(view.team.key)}`}>{view.team.name}</Link> move {view.kpi.name}? Solid lines: ship dates; dotted:
        due dates; shaded: when open milestones are forecast to be done (50–95% of 10,000 simulations of recent throughput); dashed: the trend of the{" "}
        {view.window} days before each ship date, carried on over the {view.window} days from it.
      </p>
      <OutcomesControls teams={teams.map((t) => ({ key: t.key, name: t.name }))} kpis={kpis.map((k) => ({ key: k.key, name: k.name }))} team={view.team.key} kpi={view.kpi.key} window={view.window} grain={grain} />
      <section className="card" data-testid="kpi-chart" style={{ marginTop: "1rem" }}>
        <h2>
          {view.kpi.name} ({grain === "day" ? "daily" : grain === "week" ? "weekly" : "monthly"}, {view.kpi.aggregation})
        </h2>
        <p className="explain">
          {one(search.overlay) === "1" ? (
            <Link href={`?${new URLSearchParams({ ...Object.fromEntries(Object.entries(search).map(([k, v]) => [k, one(v) ?? ""])), overlay: "0" })}`}>Hide milestone throughput</Link>
          ) : (
            <Link href={`?${new URLSearchParams({ ...Object.fromEntries(Object.entries(search).map(([k, v]) => [k, one(v) ?? ""])), overlay: "1" })}`}>Show milestone items finished per period</Link>
          )}
        </p>
        <KpiMilestoneChart
          series={view.series}
          unit={unit}
          overlay={one(search.overlay) === "1" ? view.milestoneThroughput : undefined}
          trends={view.milestones.flatMap((m) =>
            m.trend && m.shipped_on ? [{ key: m.key, name: m.name, points: trendLinePeriods(m.trend, m.shipped_on, view.window, view.kpi.aggregation, grain) }] : [],
          )}
          markers={view.milestones.map((m) => ({
            key: m.key,
            name: m.name,
            shipped: m.shipped_on ? periodOf(m.shipped_on, grain) : null,
            due: m.due_on ? periodOf(m.due_on, grain) : null,
            detail: `${m.items} items done, ${m.effort_days} cycle-time days${m.shipped_on ? `, shipped ${m.shipped_on}` : ""}`,
            band: m.forecast?.p50 && (m.forecast.p95 ?? m.forecast.p85) ? { from: periodOf(m.forecast.p50, grain), to: periodOf((m.forecast.p95 ?? m.forecast.p85)!, grain) } : null,
          }))}
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
