// GET /api/teams/[team]/annotations?from&to – a team's annotations that touch a window of dates
import { listAnnotations } from "@/lib/services/annotations";
import { queryOf, withRoute } from "@/lib/services/entries";

export const GET = withRoute<{ team: string }>((ctx, request, { team }) => listAnnotations(ctx, team, queryOf(request)));
