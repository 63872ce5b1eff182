// Stores KPI points (CSV or JSON): validated, one transaction, upserted by (kpi, date, segment).
import "server-only";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { kpis, type KpiAggregation } from "../db/schema";
import { AppError, detailsFromZod, type ErrorDetail } from "../errors";
import { isLocalDate } from "../time/calendar";
import { KpiDefinitionInput, KpiDocumentInput } from "./kpi-schema";
import { finishImportRun, startImportRun } from "./runs";
import { describe, jsonMessage } from "./source";

export interface KpiPointRow {
  kpi: string;
  date: string;
  value: number;
  segment: string;
  where: string;
}

export interface KpiImportSummary {
  runId: number;
  counts: { points: number; kpis: number; changed: number; unchanged: number };
}

export interface KpiCsvDefaults {
  /** Aggregation for KPIs the CSV names that are not defined yet (default sum). */
  aggregation?: KpiAggregation;
  name?: string;
  unit?: string;
}

export interface KpiBatch {
  name: string;
  definitions: KpiDefinitionInput[];
  /** A JSON document defines its KPI (replacing it); a CSV only creates KPIs that are missing. */
  redefine: boolean;
  points: KpiPointRow[];
  /** Set when a schedule runs the import (recorded on the run). */
  scheduleId?: number;
}

const MAX_PROBLEMS = 100;

/** Reads a KPI CSV: header kpi,date,value and optionally segment. */
export async function readKpiCsv(name: string, input: Readable, defaults: KpiCsvDefaults = {}): Promise<KpiBatch> {
  const problems: ErrorDetail[] = [];
  const points: KpiPointRow[] = [];
  let columns: string[] | undefined;
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const where = `${name}: line ${info.lines}`;
      if (!columns) {
        columns = record.map((c) => c.toLowerCase());
        for (const required of ["kpi", "date", "value"]) {
          if (!columns.includes(required)) {
            throw new AppError("IMPORT_INVALID", `${where}: the header needs a "${required}" column (kpi,date,value[,segment])`, [
              { where, message: `missing column ${required}` },
            ]);
          }
        }
        continue;
      }
      const cell = (c: string) => record[columns!.indexOf(c)] ?? "";
      const kpi = cell("kpi");
      const date = cell("date");
      const raw = cell("value");
      const value = Number(raw);
      if (!kpi) problems.push({ where: `${where}, column kpi`, message: "is empty" });
      else if (!isLocalDate(date)) problems.push({ where: `${where}, column date`, message: `"${date}" is not a date written YYYY-MM-DD` });
      else if (raw === "" || !Number.isFinite(value)) problems.push({ where: `${where}, column value`, message: `"${raw}" is not a number` });
      else points.push({ kpi, date, value, segment: columns.includes("segment") ? cell("segment") : "", where });
      if (problems.length >= MAX_PROBLEMS) break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const e = error as Error & { lines?: number };
    throw new AppError("IMPORT_INVALID", `${name}: line ${e.lines ?? "?"}: ${e.message}`);
  }
  if (!columns) throw new AppError("IMPORT_INVALID", `${name}: the file is empty`);
  if (problems.length > 0) throw new AppError("IMPORT_INVALID", describe(problems), problems);
  const keys = [...new Set(points.map((p) => p.kpi))];
  const definitions = keys.map((key) => ({ key, name: defaults.name, unit: defaults.unit, aggregation: defaults.aggregation ?? "sum" }));
  return { name, definitions, redefine: false, points };
}

/** Reads a KPI JSON document: { kpi: {...}, points: [...] }. */
export function readKpiJson(name: string, text: string): KpiBatch {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new AppError("IMPORT_INVALID", `${name}: not valid JSON (${jsonMessage(error)})`);
  }
  const parsed = KpiDocumentInput.safeParse(doc);
  if (!parsed.success) {
    const details = detailsFromZod(parsed.error, name);
    throw new AppError("IMPORT_INVALID", describe(details), details);
  }
  const { kpi, points } = parsed.data;
  return {
    name,
    definitions: [kpi],
    redefine: true,
    points: points.map((p, i) => ({ kpi: kpi.key, date: p.date, value: p.value, segment: p.segment ?? "", where: `${name}: points[${i}]` })),
  };
}

export async function readKpiText(name: string, text: string, defaults: KpiCsvDefaults = {}): Promise<KpiBatch> {
  return text.trimStart().startsWith("{") ? readKpiJson(name, text) : readKpiCsv(name, Readable.from([text]), defaults);
}

/**
 * Stores the batch. A KPI defined in a JSON document replaces its definition; a CSV only creates
 * the KPIs that do not exist yet. Points are upserted by (kpi, date, segment).
 */
export async function importKpis(db: Db, batch: KpiBatch): Promise<KpiImportSummary> {
  const runId = await startImportRun(db, "kpi", batch.name, undefined, batch.scheduleId);
  try {
    const seen = new Map<string, string>();
    const problems: ErrorDetail[] = [];
    for (const p of batch.points) {
      const id = `${p.kpi}\u0000${p.date}\u0000${p.segment}`;
      const first = seen.get(id);
      if (first) problems.push({ where: p.where, message: `a second value for ${p.kpi} on ${p.date}${p.segment ? ` (${p.segment})` : ""}; the first is at ${first}` });
      else seen.set(id, p.where);
      if (problems.length >= MAX_PROBLEMS) break;
    }
    for (const d of batch.definitions) {
      const r = KpiDefinitionInput.safeParse(d);
      if (!r.success) problems.push(...detailsFromZod(r.error, `${batch.name}: kpi ${d.key}`));
    }
    if (problems.length > 0) throw new AppError("IMPORT_INVALID", describe(problems), problems);

    const summary = await db.transaction(async (txAny) => {
      const tx = txAny as unknown as Db;
      const redefine = batch.redefine;
      for (const d of batch.definitions) {
        const insert = tx.insert(kpis).values({ key: d.key, name: d.name ?? d.key, unit: d.unit ?? null, aggregation: d.aggregation });
        if (redefine) {
          await insert.onConflictDoUpdate({ target: kpis.key, set: { name: d.name ?? d.key, unit: d.unit ?? null, aggregation: d.aggregation } });
        } else {
          await insert.onConflictDoNothing();
        }
      }
      const keys = batch.definitions.map((d) => d.key);
      const rows = keys.length ? await tx.select({ id: kpis.id, key: kpis.key }).from(kpis).where(inArray(kpis.key, keys)) : [];
      const idByKey = new Map(rows.map((r) => [r.key, r.id]));
      let changed = 0;
      for (let i = 0; i < batch.points.length; i += 5_000) {
        const slice = batch.points.slice(i, i + 5_000).map((p) => ({ k: idByKey.get(p.kpi), d: p.date, s: p.segment, v: p.value }));
        const result = await tx.execute(
          sql`insert into kpi_points (kpi_id, date, segment, value)
              select x.k, x.d, x.s, x.v from json_to_recordset(${JSON.stringify(slice)}::json) as x(k int, d date, s text, v float8)
              on conflict (kpi_id, date, segment) do update set value = excluded.value
              where kpi_points.value is distinct from excluded.value
              returning 1`,
        );
        changed += Array.isArray(result) ? result.length : (result as unknown as { rows: unknown[] }).rows.length;
      }
      return { points: batch.points.length, kpis: keys.length, changed, unchanged: batch.points.length - changed };
    });
    await finishImportRun(db, runId, { status: "succeeded", counts: summary });
    return { runId, counts: summary };
  } catch (error) {
    await finishImportRun(db, runId, { status: "failed", error: error instanceof AppError ? error.message : `internal error: ${(error as Error).message}` });
    throw error;
  }
}
