// GET /api/teams/[team]/milestone-impact – each milestone's effect on a KPI, and its effort
import { getDb } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import { getMilestoneImpact } from "@/lib/metrics/outcomes";

export async function GET(request: Request, { params }: { params: Promise<{ team: string }> }) {
  try {
    const { team } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await getMilestoneImpact(await getDb(), { ...query, team }, new Date()));
  } catch (error) {
    return toErrorResponse(error);
  }
}
