// Flow metrics, the drill-down lists, the forecast and the overview, for teams the actor may read.
import "server-only";
import { getDayItems as loadDayItems, type DayItemsResult } from "../metrics/day-items";
import { getForecast as loadForecast, type ForecastResult } from "../metrics/forecast";
import { getTeamMetric as loadTeamMetric, type MetricResults } from "../metrics/load";
import type { FlowMetric } from "../metrics/params";
import { listTeamSummaries, type TeamSummary } from "../overview/team-summary";
import type { ServiceContext } from "./context";
import { listVisibleTeams, requireTeam } from "./teams";

/** The team named in untrusted input (path or argv), checked before anything else is read. */
async function teamOf(ctx: ServiceContext, input: unknown): Promise<void> {
  const key = typeof input === "object" && input !== null ? (input as { team?: unknown }).team : undefined;
  await requireTeam(ctx, typeof key === "string" ? key : "");
}

/** One flow metric in the spec's shape; `input` is untrusted (query string, argv). */
export async function getTeamMetric<M extends FlowMetric = FlowMetric>(ctx: ServiceContext, input: { metric: M; team: string } & Record<string, unknown>): Promise<MetricResults[M]> {
  await teamOf(ctx, input);
  return (await loadTeamMetric(ctx.db, input, ctx.now)) as MetricResults[M];
}

export async function getDayItems(ctx: ServiceContext, input: { team: string } & Record<string, unknown>): Promise<DayItemsResult> {
  await teamOf(ctx, input);
  return loadDayItems(ctx.db, input, ctx.now);
}

export async function getForecast(ctx: ServiceContext, input: { team: string } & Record<string, unknown>): Promise<ForecastResult> {
  await teamOf(ctx, input);
  return loadForecast(ctx.db, input, ctx.now);
}

/** Every team the actor sees, with its headline numbers. */
export async function getOverview(ctx: ServiceContext): Promise<TeamSummary[]> {
  return listTeamSummaries(ctx.db, await listVisibleTeams(ctx), ctx.now);
}
