// GET /api/teams/[team]/metrics/[metric] – one flow metric for a team, in the spec's JSON shape
import { getDb } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import { getTeamMetric } from "@/lib/metrics/load";

export async function GET(request: Request, { params }: { params: Promise<{ team: string; metric: string }> }) {
  try {
    const { team, metric } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const result = await getTeamMetric(await getDb(), { ...query, team, metric }, new Date());
    return Response.json(result);
  } catch (error) {
    return toErrorResponse(error);
  }
}
