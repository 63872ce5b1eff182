// KPIs: read by anyone signed in (they are organisation-wide), written by admins and by tokens
// with kpis:write whose owner is an admin.
import "server-only";
import { canReadKpis, canWriteKpis } from "../auth/permissions";
import { getKpiByKey, listKpiPoints, listKpis, listKpiSummaries } from "../db/queries/outcomes";
import { AppError } from "../errors";
import { importKpis, readKpiText, type KpiImportSummary } from "../ingest/kpi";
import { pushKpiPoints as storePushedPoints } from "../ingest/kpi-push";
import { KPI_UPLOAD_TOO_LARGE, MAX_KPI_UPLOAD_BYTES } from "../ingest/upload-limits";
import { rollUp, type KpiAggregation, type KpiGrain } from "../metrics/compute/kpi";
import { allow, type ServiceContext } from "./context";


export async function listKpiOverview(ctx: ServiceContext) {
  allow(canReadKpis(ctx.actor));
  return listKpiSummaries(ctx.db);
}

export async function listKpiChoices(ctx: ServiceContext) {
  allow(canReadKpis(ctx.actor));
  return listKpis(ctx.db);
}

export async function getKpiSeries(ctx: ServiceContext, key: string, grain: KpiGrain) {
  allow(canReadKpis(ctx.actor));
  const kpi = await getKpiByKey(ctx.db, key);
  if (!kpi) throw new AppError("NOT_FOUND", `No KPI with key "${key}".`);
  const points = await listKpiPoints(ctx.db, kpi.id, "9999-12-31");
  return { kpi, series: rollUp(points, kpi.aggregation, grain) };
}

export async function uploadKpiFile(ctx: ServiceContext, file: { name: string; size: number; text: () => Promise<string> }, aggregation: KpiAggregation): Promise<KpiImportSummary> {
  allow(canWriteKpis(ctx.actor));
  if (file.size > MAX_KPI_UPLOAD_BYTES) throw new AppError("TOO_LARGE", KPI_UPLOAD_TOO_LARGE);
  const batch = await readKpiText(file.name, await file.text(), { aggregation });
  return importKpis(ctx.db, batch);
}

export async function defineKpi(ctx: ServiceContext, definition: { key: string; name?: string; unit: string | null; aggregation: KpiAggregation }) {
  allow(canWriteKpis(ctx.actor));
  return importKpis(ctx.db, { name: `ui:define ${definition.key}`, definitions: [definition], redefine: true, points: [] });
}

/** The most a push request's body may hold (100,000 points fit). */
export const MAX_PUSH_BYTES = 16 * 1024 * 1024;

/** The push API: the caller's right is checked before its body is read at all. */
export async function pushKpiPoints(ctx: ServiceContext, kpiKey: string, readBody: () => Promise<unknown>): Promise<KpiImportSummary> {
  allow(canWriteKpis(ctx.actor));
  const body = await readBody();
  const by = ctx.actor.kind === "token" ? `token ${ctx.actor.tokenId}` : ctx.actor.kind;
  return storePushedPoints(ctx.db, { kpiKey, body, source: `api:${by}` });
}
