// A team dashboard's first data: the same validated metric calls the browser makes to the API,
// run in-process and handed over with the page, so the first paint needs no request waterfall.
import "server-only";
import { dehydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { canCreateShareLink } from "../auth/permissions";
import { queryKeys } from "../client/api";
import type { FlowMetric } from "../metrics/params";
import { agingReferenceRequest, metricRequest, parseView, type DashboardView, type MetricRequest } from "../views/dashboard-view";
import { listAnnotations, mayAnnotate } from "./annotations";
import type { ServiceContext } from "./context";
import { getTeamMetrics } from "./metrics";
import { getTeamFreshness } from "../db/queries/sources";
import { getDashboardTeam } from "./teams";

type Search = Record<string, string | string[] | undefined>;

export async function getDashboard(ctx: ServiceContext, teamKey: string, search: Search) {
  const { team, statuses, types } = await getDashboardTeam(ctx, teamKey);
  const view: DashboardView = parseView(search);
  const request = metricRequest(view, team.timezone, ctx.now);
  const reference = agingReferenceRequest(view, team.timezone, ctx.now);
  const wanted: { metric: FlowMetric; request: MetricRequest }[] = [
    { metric: "cycle-time", request },
    { metric: "throughput", request },
    { metric: "wip", request },
    { metric: "cfd", request },
    { metric: "aging", request },
    { metric: "blockers", request },
    { metric: "quality", request },
    { metric: "cycle-time", request: reference },
  ];
  const client = new QueryClient();
  // Fetched first, so that a window the API refuses (too long, from after to) is refused here too.
  const results = await getTeamMetrics(ctx, wanted.map(({ metric, request: r }) => ({ ...r, metric, team: team.key, details: "1" })));
  wanted.forEach(({ metric, request: r }, i) => client.setQueryData(queryKeys.metric(team.key, metric, r), results[i]));
  const window = { from: request.from, to: request.to };
  client.setQueryData(queryKeys.annotations(team.key, window), await listAnnotations(ctx, team.key, window));
  const state: DehydratedState = dehydrate(client);
  // How fresh the numbers are: the team's last import or sync, and any source whose last sync failed.
  const freshness = await getTeamFreshness(ctx.db, team.key);
  return { team, statuses, types, state, freshness, annotate: mayAnnotate(ctx, team.id), share: canCreateShareLink(ctx.actor, team.id) === null };
}
