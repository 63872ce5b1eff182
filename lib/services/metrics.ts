// Flow metrics, the drill-down lists, the forecast and the overview, for teams the actor may read.
import "server-only";
import { getDayItems as loadDayItems, type DayItemsResult } from "../metrics/day-items";
import { getForecast as loadForecast, type ForecastResult } from "../metrics/forecast";
import { getTeamMetric as loadTeamMetric, type MetricResults } from "../metrics/load";
import { MetricParamsInput, type FlowMetric } from "../metrics/params";
import { getDataVersion } from "../db/queries/data-version";
import { listTeamSummaries, type TeamSummary } from "../overview/team-summary";
import type { ServiceContext } from "./context";
import { ResultCache } from "./result-cache";
import { listVisibleTeams, requireTeam } from "./teams";

/** The team named in untrusted input (path or argv), checked before anything else is read. */
async function teamOf(ctx: ServiceContext, input: unknown): Promise<void> {
  const key = typeof input === "object" && input !== null ? (input as { team?: unknown }).team : undefined;
  await requireTeam(ctx, typeof key === "string" ? key : "");
}

/**
 * Metric results as last computed, per team, parameters and data version: a dashboard opened by a
 * whole team asks the same seven questions. A view without as_of is "now" to the minute. Small, per
 * process, safe to lose; checked for permission before it is read.
 */
const results = new ResultCache(200);

/**
 * Per request, the team is read once however many metrics it asks for (a dashboard asks eight):
 * on the embedded database every query waits for the one before it.
 */
const perRequest = new WeakMap<ServiceContext, Map<string, Promise<unknown>>>();
function oncePerRequest<T>(ctx: ServiceContext, key: string, load: () => Promise<T>): Promise<T> {
  let memo = perRequest.get(ctx);
  if (!memo) perRequest.set(ctx, (memo = new Map()));
  if (!memo.has(key)) memo.set(key, load());
  return memo.get(key) as Promise<T>;
}

/** One flow metric in the spec's shape; `input` is untrusted (query string, argv). */
export async function getTeamMetric<M extends FlowMetric = FlowMetric>(ctx: ServiceContext, input: { metric: M; team: string } & Record<string, unknown>): Promise<MetricResults[M]> {
  return teamMetric(ctx, input, () => getDataVersion(ctx.db));
}

/**
 * Several flow metrics asked at once (a dashboard's eight), against one reading of the data
 * version: on the embedded database every query waits for the one before it, and eight readings
 * of the same version were the most of a cached dashboard's database time.
 */
export async function getTeamMetrics(ctx: ServiceContext, inputs: readonly ({ metric: FlowMetric; team: string } & Record<string, unknown>)[]): Promise<MetricResults[FlowMetric][]> {
  let version: Promise<string> | undefined;
  const once = () => (version ??= getDataVersion(ctx.db));
  return Promise.all(inputs.map((input) => teamMetric(ctx, input, once)));
}

async function teamMetric<M extends FlowMetric>(ctx: ServiceContext, input: { metric: M; team: string } & Record<string, unknown>, dataVersion: () => Promise<string>): Promise<MetricResults[M]> {
  const teamKey = typeof input.team === "string" ? input.team : "";
  const team = await oncePerRequest(ctx, `team:${teamKey}`, () => requireTeam(ctx, teamKey));
  const parsed = MetricParamsInput.safeParse(input);
  // Bad input is refused by the loader, with its message; nothing to cache.
  if (!parsed.success) return (await loadTeamMetric(ctx.db, input, ctx.now)) as MetricResults[M];
  const p = parsed.data;
  const now = p.as_of ? "" : String(Math.floor(ctx.now.getTime() / 60_000));
  // Read per call, not once per context: a context may outlive a write (a roadblock reported in
  // the same request or command, then the page rendered again), and the version is one query.
  const version = await dataVersion();
  const key = JSON.stringify([team.id, p.metric, p.from, p.to, p.as_of?.toISOString(), p.type, p.details, now, version]);
  return results.get(key, () => loadTeamMetric(ctx.db, input, ctx.now) as Promise<MetricResults[M]>);
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
