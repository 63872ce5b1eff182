// GET /api/teams – every team with its timezone and WIP limit
import { getDb } from "@/lib/db/client";
import { listTeams } from "@/lib/db/queries/teams";
import { toErrorResponse } from "@/lib/errors";

export async function GET() {
  try {
    const teams = await listTeams(await getDb());
    return Response.json({ teams: teams.map((t) => ({ key: t.key, name: t.name, timezone: t.timezone, wip_limit: t.wipLimit })) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
