// GET /api/teams/[team]/milestone-impact – each milestone's effect on a KPI, and its effort
import { queryOf, withRoute } from "@/lib/services/entries";
import { getMilestoneImpact } from "@/lib/services/outcomes";

export const GET = withRoute<{ team: string }>((ctx, request, { team }) => getMilestoneImpact(ctx, { ...queryOf(request), team }));
