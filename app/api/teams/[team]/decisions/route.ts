// GET /api/teams/[team]/decisions?from&to&charts=1 – a team's decisions log (or those for its charts)
import { listDecisions } from "@/lib/services/decisions";
import { queryOf, withRoute } from "@/lib/services/entries";

export const GET = withRoute<{ team: string }>((ctx, request, { team }) => listDecisions(ctx, team, queryOf(request)));
