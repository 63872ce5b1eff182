// Server-side first data for a dashboard: the same queries the browser would make, run in-process
// and handed over with the page, so the first paint needs no request waterfall.
import "server-only";
import { dehydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import type { Db } from "../db/client";
import type { Team } from "../db/queries/teams";
import { queryKeys } from "../client/api";
import { computeMetric } from "../metrics/load";
import type { FlowMetric } from "../metrics/params";
import type { MetricRequest } from "./dashboard-view";

export async function prefetchMetrics(db: Db, team: Team, wanted: { metric: FlowMetric; request: MetricRequest }[], now: Date): Promise<DehydratedState> {
  const client = new QueryClient();
  await Promise.all(
    wanted.map(({ metric, request }) =>
      client.prefetchQuery({
        queryKey: queryKeys.metric(team.key, metric, request),
        queryFn: () =>
          computeMetric(db, metric, {
            team,
            asOf: request.as_of ? new Date(request.as_of) : now,
            from: request.from,
            to: request.to,
            type: request.type,
            details: true,
          }),
      }),
    ),
  );
  return dehydrate(client);
}
