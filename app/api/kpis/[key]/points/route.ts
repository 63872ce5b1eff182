// POST /api/kpis/[key]/points – push KPI points with an API token (idempotent upsert by date and segment)
import { withRoute } from "@/lib/services/entries";
import { MAX_PUSH_BYTES, pushKpiPoints } from "@/lib/services/kpis";
import { readJsonBody } from "@/lib/services/request-body";

// A token only (no session cookie), checked by withRoute and the service before a byte of the body is read.
export const POST = withRoute<{ key: string }>((ctx, request, { key }) => pushKpiPoints(ctx, key, () => readJsonBody(request, MAX_PUSH_BYTES)), { tokenOnly: true });
