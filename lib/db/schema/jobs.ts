import { boolean, pgEnum, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { kpiAggregation } from "./kpis";

export const importSourceKind = pgEnum("import_source_kind", ["url", "file"]);

/** A KPI import that runs on a cron schedule: fetch a URL (CSV or JSON) or read a file. */
export const importSchedules = pgTable("import_schedules", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  cron: text("cron").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  sourceKind: importSourceKind("source_kind").notNull(),
  /** The URL or the file path. */
  source: text("source").notNull(),
  /**
   * Name of an environment variable holding the Authorization header value. The secret itself
   * never enters the database.
   */
  authEnv: text("auth_env"),
  /** Aggregation of KPIs a CSV source creates. */
  aggregation: kpiAggregation("aggregation").notNull().default("sum"),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
