import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { chartPeriods, OutcomesReport } from "@/components/outcomes/outcomes-report";
import { OutcomesControls } from "@/components/outcomes/outcomes-controls";
import { ShareButton } from "@/components/share/share-button";
import { canCreateShareLink } from "@/lib/auth/permissions";
import { createShareLinkAction } from "../s/actions";
import { AppError } from "@/lib/errors";
import { listAnnotations } from "@/lib/services/annotations";
import { forPage, pageContext } from "@/lib/services/entries";
import { listKpiChoices } from "@/lib/services/kpis";
import { getOutcomesView } from "@/lib/services/outcomes";
import { listVisibleTeams } from "@/lib/services/teams";
import { pathWithSearch } from "@/lib/views/route-params";
import { periodsCover, type KpiGrain } from "@/lib/metrics/compute/kpi";
import { DEFAULT_IMPACT_WINDOW } from "@/lib/metrics/outcomes";

export const metadata: Metadata = { title: "Outcomes" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
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
  // The team's annotations over every period the chart draws.
  const cover = periodsCover(chartPeriods(view, grain));
  const annotations = cover ? await forPage(listAnnotations(ctx, view.team.key, cover)) : [];
  const overlay = one(search.overlay) === "1";
  const team = teams.find((t) => t.key === view.team.key);
  const mayShare = team !== undefined && canCreateShareLink(ctx.actor, team.id) === null;
  const toggle = `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(search).map(([k, v]) => [k, one(v) ?? ""])), overlay: overlay ? "0" : "1" })}`;
  return (
    <>
      <h1>Outcomes: {view.kpi.name}</h1>
      <p className="lede">
        Did the milestones of <Link href={`/teams/${encodeURIComponent(view.team.key)}`}>{view.team.name}</Link> move {view.kpi.name}? Solid lines: ship dates; dotted:
        due dates; shaded: when open milestones are forecast to be done (50–95% of 10,000 simulations of recent throughput); dashed: the trend of the{" "}
        {view.window} days before each ship date, carried on over the {view.window} days from it. Labelled purple lines and areas: the team&apos;s annotations (hover for the note).
      </p>
      <OutcomesControls teams={teams.map((t) => ({ key: t.key, name: t.name }))} kpis={kpis.map((k) => ({ key: k.key, name: k.name }))} team={view.team.key} kpi={view.kpi.key} window={view.window} grain={grain} />
      {mayShare ? (
        <div className="window-line">
          <ShareButton
            target={{ team: view.team.key, kind: "outcomes", view: { kpi: view.kpi.key, window: String(view.window), grain, ...(overlay ? { overlay: "1" } : {}), ...(one(search.as_of) ? { as_of: one(search.as_of)! } : {}) }, days: view.window }}
            create={createShareLinkAction}
            label="Share these outcomes"
          />
        </div>
      ) : null}
      <OutcomesReport
        view={view}
        grain={grain}
        annotations={annotations}
        overlay={overlay}
        overlayToggle={<Link href={toggle}>{overlay ? "Hide milestone throughput" : "Show milestone items finished per period"}</Link>}
      />
    </>
  );
}
