// The KPI push API's work: validate the body, store the points like any import. The caller was
// authenticated (and authorized) by the service layer before the body was read.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { getKpiByKey } from "../db/queries/outcomes";
import { AppError, detailsFromZod } from "../errors";
import { importKpis, type KpiImportSummary } from "./kpi";
import { KpiDefinitionInput, KpiPointInput } from "./kpi-schema";
import { describe } from "./source";

export const KpiPushBody = z.object({
  /** Optional: defines (or redefines) the KPI; without it the KPI must exist. */
  kpi: KpiDefinitionInput.omit({ key: true }).optional(),
  points: z.array(KpiPointInput).min(1, { error: "must hold at least one point" }).max(100_000, { error: "at most 100,000 points per request" }),
});

export async function pushKpiPoints(db: Db, request: { kpiKey: string; body: unknown; source: string }): Promise<KpiImportSummary> {
  const parsed = KpiPushBody.safeParse(request.body);
  if (!parsed.success) {
    const details = detailsFromZod(parsed.error, "body");
    throw new AppError("INVALID_INPUT", describe(details), details);
  }
  const existing = await getKpiByKey(db, request.kpiKey);
  if (!existing && !parsed.data.kpi) {
    throw new AppError("NOT_FOUND", `No KPI with key "${request.kpiKey}": define it by sending "kpi": { "name", "unit", "aggregation" } with the points.`);
  }
  const definition = parsed.data.kpi
    ? { key: request.kpiKey, ...parsed.data.kpi }
    : { key: existing!.key, name: existing!.name, unit: existing!.unit, aggregation: existing!.aggregation };
  return importKpis(db, {
    name: request.source,
    definitions: [definition],
    redefine: Boolean(parsed.data.kpi),
    points: parsed.data.points.map((p, i) => ({ kpi: request.kpiKey, date: p.date, value: p.value, segment: p.segment ?? "", where: `body: points[${i}]` })),
  });
}
