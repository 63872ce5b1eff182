// GET /api/teams/[team]/day-items – the items behind one day's WIP or cumulative-flow number
import { queryOf, withRoute } from "@/lib/services/entries";
import { getDayItems } from "@/lib/services/metrics";

export const GET = withRoute<{ team: string }>((ctx, request, { team }) => getDayItems(ctx, { ...queryOf(request), team }));
