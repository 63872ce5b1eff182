// One run of an import schedule: fetch the source, then the same importer as an upload or the CLI.
import "server-only";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { importSchedules } from "../db/schema";
import { readKpiSource, sourcePolicy, type SourcePolicy } from "../connectors/kpi-feed";
import { AppError } from "../errors";
import { importKpis, readKpiText, type KpiImportSummary } from "../ingest/kpi";
import { finishImportRun, startImportRun } from "../ingest/runs";

export type ImportSchedule = typeof importSchedules.$inferSelect;

export async function getSchedule(db: Db, id: number): Promise<ImportSchedule | null> {
  const [row] = await db.select().from(importSchedules).where(eq(importSchedules.id, id));
  return row ?? null;
}

export async function listSchedules(db: Db): Promise<ImportSchedule[]> {
  return db.select().from(importSchedules).orderBy(asc(importSchedules.id));
}

export function fetchScheduleSource(schedule: ImportSchedule, policy: SourcePolicy = sourcePolicy()): Promise<string> {
  return readKpiSource({ kind: schedule.sourceKind, location: schedule.source, authEnv: schedule.authEnv }, policy);
}

/**
 * Runs a schedule once. Every attempt leaves an import run; a failure is thrown again so that the
 * job queue retries it, and nothing of a failed attempt is stored.
 */
export async function runScheduledImport(db: Db, scheduleId: number, policy: SourcePolicy = sourcePolicy()): Promise<KpiImportSummary> {
  const schedule = await getSchedule(db, scheduleId);
  if (!schedule) throw new AppError("NOT_FOUND", `No import schedule ${scheduleId}.`);
  const name = `schedule:${schedule.name}`;
  let text: string;
  let batch;
  try {
    text = await fetchScheduleSource(schedule, policy);
    batch = await readKpiText(schedule.sourceKind === "file" ? path.basename(schedule.source) : name, text, { aggregation: schedule.aggregation });
  } catch (error) {
    // Failed before the importer could record it: record it here.
    const runId = await startImportRun(db, "kpi", name, undefined, schedule.id);
    await finishImportRun(db, runId, { status: "failed", error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  return importKpis(db, { ...batch, name, scheduleId: schedule.id });
}
