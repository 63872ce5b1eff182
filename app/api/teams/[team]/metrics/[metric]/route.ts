// GET /api/teams/[team]/metrics/[metric] – one flow metric for a team, in the spec's JSON shape
import { queryOf, withRoute } from "@/lib/services/entries";
import { getTeamMetric } from "@/lib/services/metrics";
import type { FlowMetric } from "@/lib/metrics/params";

export const GET = withRoute<{ team: string; metric: string }>((ctx, request, { team, metric }) =>
  getTeamMetric(ctx, { ...queryOf(request), team, metric: metric as FlowMetric }),
);
