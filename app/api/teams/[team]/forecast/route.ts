// GET /api/teams/[team]/forecast – Monte Carlo forecast: ?items=K, ?milestone=KEY or ?by=DATE
import { getDb } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import { getForecast } from "@/lib/metrics/forecast";

export async function GET(request: Request, { params }: { params: Promise<{ team: string }> }) {
  try {
    const { team } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await getForecast(await getDb(), { ...query, team }, new Date()));
  } catch (error) {
    return toErrorResponse(error);
  }
}
