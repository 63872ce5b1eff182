import { integer, jsonb, pgEnum, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

export const importKind = pgEnum("import_kind", ["history", "kpi"]);
export const importStatus = pgEnum("import_status", ["running", "succeeded", "failed"]);

export type ImportCounts = Record<string, number>;

/** Every import, successful or not, leaves one row: what came in, what was stored, what went wrong. */
export const importRuns = pgTable("import_runs", {
  id: serial("id").primaryKey(),
  kind: importKind("kind").notNull(),
  source: text("source").notNull(),
  teamKey: text("team_key"),
  /** The schedule that started the run; null for the CLI, uploads and the push API. */
  scheduleId: integer("schedule_id"),
  status: importStatus("status").notNull().default("running"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
  counts: jsonb("counts").$type<ImportCounts>().notNull().default({}),
  error: text("error"),
});
