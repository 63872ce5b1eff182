import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";

/** A tracker a team's work history is synced from (GitHub, Jira, Linear). */
export const sources = pgTable("sources", {
  id: serial("id").primaryKey(),
  /** What the CLI and the UI call it, e.g. "payments-jira". */
  name: text("name").notNull().unique(),
  kind: text("kind").$type<"github" | "jira" | "linear">().notNull(),
  teamKey: text("team_key").notNull(),
  /** The connector's settings without secrets (site URL, JQL, repository, team…). */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
  /** The THROUGHLINE_SECRET_* variable holding the credential; never the credential itself. */
  secretEnv: text("secret_env").notNull(),
  /** Status id → category (and blocked/discarded), as reviewed by an admin; the tracker's suggestion otherwise. */
  mapping: jsonb("mapping").$type<Record<string, { category: "todo" | "in_progress" | "done"; blocked?: boolean; discarded?: boolean }>>().notNull().default({}),
  /**
   * The status list as the tracker last gave it (names follow ids; a rename keeps the id), then
   * the statuses only the history still names (`listed: false`, as the last sync found them).
   */
  statuses: jsonb("statuses").$type<{ id: string; name: string; suggested: "todo" | "in_progress" | "done" | null; discarded?: boolean; listed?: false }[]>().notNull().default([]),
  /** When it syncs by itself (a cron expression in `timezone`); null: only when asked. */
  cron: text("cron"),
  timezone: text("timezone").notNull().default("UTC"),
  /** Where an interrupted sync resumes (the connector's page cursor); null between syncs. */
  cursor: jsonb("cursor"),
  /** The newest `updated` instant of any record fetched: the next incremental sync starts there, less the overlap. */
  highWater: timestamp("high_water", { withTimezone: true }),
  lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Each item's raw payload as fetched: a mapping change re-derives the history without fetching again. */
export const sourceRecords = pgTable(
  "source_records",
  {
    sourceId: integer("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    recordId: text("record_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    payload: jsonb("payload").notNull(),
    /** The work item key it was last stored under, so a deletion removes the right item. */
    itemKey: text("item_key"),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.recordId] })],
);

export type SyncCounts = { fetched: number; mapped: number; stored: number; unchanged: number; skipped: number; deleted: number; cleaned: number };

/** Every sync leaves one row with its counts per layer, so nothing disappears silently. */
export const syncRuns = pgTable(
  "sync_runs",
  {
    id: serial("id").primaryKey(),
    sourceId: integer("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    full: boolean("full").notNull(),
    status: text("status").$type<"running" | "succeeded" | "failed">().notNull().default("running"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * While running, the run holds its source until this instant (the database's clock), renewed by
     * its heartbeat; a sync meeting an expired one takes over and marks it failed (its process died).
     */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    counts: jsonb("counts").$type<SyncCounts>(),
    /** Why records were skipped or repaired, with how many each. */
    reasons: jsonb("reasons").$type<Record<string, number>>(),
    error: text("error"),
  },
  (t) => [index("sync_runs_source").on(t.sourceId, t.startedAt)],
);
