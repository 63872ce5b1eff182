// GET /api/teams – the teams the caller may see, with their timezone and WIP limit
import { withRoute } from "@/lib/services/entries";
import { listVisibleTeams } from "@/lib/services/teams";

export const GET = withRoute(async (ctx) => {
  const teams = await listVisibleTeams(ctx);
  return { teams: teams.map((t) => ({ key: t.key, name: t.name, timezone: t.timezone, wip_limit: t.wipLimit })) };
});
