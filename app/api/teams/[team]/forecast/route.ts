// GET /api/teams/[team]/forecast – Monte Carlo forecast: ?items=K, ?milestone=KEY or ?by=DATE
import { queryOf, withRoute } from "@/lib/services/entries";
import { getForecast } from "@/lib/services/metrics";

export const GET = withRoute<{ team: string }>((ctx, request, { team }) => getForecast(ctx, { ...queryOf(request), team }));
