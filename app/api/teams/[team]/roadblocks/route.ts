// GET /api/teams/[team]/roadblocks?status=open|all – a team's roadblock reports with their proposals
import { queryOf, withRoute } from "@/lib/services/entries";
import { listRoadblocks } from "@/lib/services/roadblocks";

export const GET = withRoute<{ team: string }>((ctx, request, { team }) => listRoadblocks(ctx, team, queryOf(request)));
