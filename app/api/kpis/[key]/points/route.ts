// POST /api/kpis/[key]/points – push KPI points with an API token (idempotent upsert by date and segment)
import { getDb } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors";
import { pushKpiPoints } from "@/lib/ingest/kpi-push";

export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }) {
  try {
    const { key } = await params;
    const body: unknown = await request.json().catch(() => {
      throw new AppError("INVALID_INPUT", "the body must be JSON: { \"points\": [{ \"date\": \"YYYY-MM-DD\", \"value\": 1 }] }", [{ where: "body", message: "not JSON" }]);
    });
    const summary = await pushKpiPoints(await getDb(), { authorization: request.headers.get("authorization"), kpiKey: key, body });
    return Response.json(summary, { status: 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
