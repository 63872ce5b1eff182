import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { KpiMilestoneChart } from "@/components/charts/kpi-milestone-chart";
import type { KpiGrain } from "@/lib/metrics/compute/kpi";
import { forPage, pageContext } from "@/lib/services/entries";
import { getKpiSeries } from "@/lib/services/kpis";
import { decodedParam, pathWithSearch } from "@/lib/views/route-params";

type Props = { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodedParam((await params).key) };
}

const GRAINS: { grain: KpiGrain; label: string }[] = [
  { grain: "day", label: "Daily" },
  { grain: "week", label: "Weekly" },
  { grain: "month", label: "Monthly" },
];

export default async function KpiPage({ params, searchParams }: Props) {
  await connection();
  const [{ key }, search] = await Promise.all([params, searchParams]);
  const kpiKey = decodedParam(key);
  const ctx = await pageContext(pathWithSearch(`/kpis/${encodeURIComponent(kpiKey)}`, search));
  const grain = (GRAINS.find((g) => g.grain === search.grain)?.grain ?? "week") as KpiGrain;
  const { kpi, series } = await forPage(getKpiSeries(ctx, kpiKey, grain));
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/kpis">KPIs</Link> / <span>{kpi.name}</span>
      </nav>
      <h1>{kpi.name}</h1>
      <p className="lede">
        {kpi.unit ? `${kpi.unit}, ` : ""}rolled up by <strong>{kpi.aggregation}</strong> ({kpi.aggregation === "sum" ? "totals per period" : kpi.aggregation === "last" ? "the last value of each period" : "the mean of the days with data"}).
      </p>
      <nav className="filters" aria-label="Grain">
        {GRAINS.map((g) => (
          <Link key={g.grain} href={`?grain=${g.grain}`} aria-current={g.grain === grain ? "page" : undefined} className={g.grain === grain ? "current" : undefined}>
            {g.label}
          </Link>
        ))}
      </nav>
      <section className="card" style={{ marginTop: "1rem" }} data-testid="kpi-series" data-periods={series.length}>
        <KpiMilestoneChart series={series} markers={[]} unit={kpi.unit} />
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`${kpi.name} by ${grain}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Value</th>
                <th scope="col">Days with data</th>
              </tr>
            </thead>
            <tbody>
              {[...series].reverse().map((p) => (
                <tr key={p.period}>
                  <td>{p.period}</td>
                  <td>{Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(p.value)}</td>
                  <td>{p.days}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
