// GET /api/teams/[team]/day-items – the items behind one day's WIP or cumulative-flow number
import { getDb } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import { getDayItems } from "@/lib/metrics/day-items";

export async function GET(request: Request, { params }: { params: Promise<{ team: string }> }) {
  try {
    const { team } = await params;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    return Response.json(await getDayItems(await getDb(), { ...query, team }, new Date()));
  } catch (error) {
    return toErrorResponse(error);
  }
}
