import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  doublePrecision,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const statusCategory = pgEnum("status_category", ["todo", "in_progress", "done"]);
export type StatusCategory = (typeof statusCategory.enumValues)[number];

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const teams = pgTable("teams", {
  id: serial("id").primaryKey(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  /** WIP limit for the whole team (all in-progress statuses together); null = none. */
  wipLimit: integer("wip_limit"),
  createdAt: instant("created_at").notNull().defaultNow(),
});

export const workflowStatuses = pgTable(
  "workflow_statuses",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    category: statusCategory("category").notNull(),
    blocked: boolean("blocked").notNull().default(false),
    discarded: boolean("discarded").notNull().default(false),
    wipLimit: integer("wip_limit"),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.name] })],
);

export const milestones = pgTable(
  "milestones",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    /** Order of the milestone in the team's documents (the spec reports milestones "in the order given"). */
    position: integer("position").notNull().default(0),
    dueOn: date("due_on", { mode: "string" }),
    shippedAt: instant("shipped_at"),
  },
  (t) => [uniqueIndex("milestones_team_key").on(t.teamId, t.key)],
);

export const workItems = pgTable(
  "work_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    title: text("title").notNull(),
    type: text("type").notNull(),
    createdAt: instant("created_at").notNull(),
    milestoneKey: text("milestone_key"),
    url: text("url"),
    /** Hash of the item as imported: a re-import of an unchanged item writes nothing. */
    contentHash: text("content_hash").notNull(),
    /** Its first transition's instant (null: none), written with its transitions: the quality report's created_after_first_transition reads it here. */
    firstTransitionAt: instant("first_transition_at"),
  },
  (t) => [uniqueIndex("work_items_team_key").on(t.teamId, t.key), index("work_items_team_milestone").on(t.teamId, t.milestoneKey)],
);

/**
 * One row per transition, with the facts that hold while it is the item's latest transition.
 * The item's state at any as_of is the row with at <= as_of < until, so metrics at a past
 * instant read the same rows as metrics now (see lib/metrics/compute/item-facts.ts).
 */
export const transitions = pgTable(
  "transitions",
  {
    itemId: bigint("item_id", { mode: "number" }).notNull(),
    seq: integer("seq").notNull(),
    teamId: integer("team_id").notNull(),
    at: instant("at").notNull(),
    /** The next transition's instant; null while this is the latest one. */
    until: instant("until"),
    fromStatus: text("from_status"),
    status: text("status").notNull(),
    category: statusCategory("category").notNull(),
    blocked: boolean("blocked").notNull(),
    discarded: boolean("discarded").notNull(),
    startedAt: instant("started_at"),
    finishedAt: instant("finished_at"),
    /** The item has left done by this transition or an earlier one (quality: reopened). */
    reopened: boolean("reopened").notNull().default(false),
    /** The item has moved to an earlier status, not from done, by now (quality: moved_backwards). */
    movedBackwards: boolean("moved_backwards").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.seq] }),
    index("transitions_team_at").on(t.teamId, t.at),
    index("transitions_team_finished").on(t.teamId, t.finishedAt).where(sql`${t.finishedAt} is not null and not ${t.discarded}`),
    index("transitions_team_in_progress").on(t.teamId, t.at).where(sql`${t.category} = 'in_progress'`),
    index("transitions_team_blocked").on(t.teamId, t.at).where(sql`${t.blocked}`),
    // Rows open at an instant (an item's state at as_of), and the changes of the day that holds
    // as_of beside the day-level facts (day_status_facts).
    index("transitions_team_open").on(t.teamId, sql`coalesce(${t.until}, 'infinity'::timestamptz)`),
    // In-progress rows still open at an instant: the WIP of the day that holds as_of.
    index("transitions_team_in_progress_open")
      .on(t.teamId, sql`coalesce(${t.until}, 'infinity'::timestamptz)`)
      .where(sql`${t.category} = 'in_progress'`),
  ],
);

export const blocks = pgTable(
  "blocks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: bigint("item_id", { mode: "number" }).notNull(),
    teamId: integer("team_id").notNull(),
    start: instant("start").notNull(),
    end: instant("end"),
    reason: text("reason"),
    /**
     * Set for the block of a roadblock reported in the app (lib/db/schema/review.ts): an import
     * replaces an item's other blocks, never this one.
     */
    roadblockId: integer("roadblock_id"),
  },
  (t) => [index("blocks_item").on(t.itemId), index("blocks_team").on(t.teamId), index("blocks_roadblock").on(t.roadblockId)],
);

/**
 * Day-level facts of a team's history, rebuilt by every import and sync in the same transaction
 * (lib/db/queries/day-facts.ts): the cumulative flow and WIP of any window read a team-year of
 * these small rows instead of every transition. Deltas, not counts: a day's count is the sum of
 * the deltas up to it, so an item's contribution can be added or taken away alone. Days are
 * local dates in `day_facts_teams.timezone`; whatever touches the day that holds as_of, or a
 * later one, is computed from the transitions on the fly, so as_of stays exact.
 */
export const dayStatusFacts = pgTable(
  "day_status_facts",
  {
    teamId: integer("team_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    itemType: text("item_type").notNull(),
    status: text("status").notNull(),
    /** Change in the items whose state at the end of the day is this status (cumulative flow). */
    endOfDay: integer("end_of_day").notNull(),
    /** Change in the items in this in-progress status at any instant of the day (WIP limits). */
    anyInstant: integer("any_instant").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.day, t.itemType, t.status] })],
);

export const dayWipFacts = pgTable(
  "day_wip_facts",
  {
    teamId: integer("team_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    itemType: text("item_type").notNull(),
    /** Change in the items in progress at any instant of the day (the team's WIP). */
    delta: integer("delta").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.day, t.itemType] })],
);

/** Teams whose day-level facts are built, and the timezone their days are in. */
export const dayFactsTeams = pgTable("day_facts_teams", {
  teamId: integer("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  timezone: text("timezone").notNull(),
  builtAt: instant("built_at").notNull().defaultNow(),
});

/**
 * Each item's blocked time as it stands after its last change (`valid_from`: the latest of its
 * transitions' instants and its blocks' starts and ends), kept by every write of its transitions
 * or blocks in the same transaction (lib/ingest/blocked-facts.ts). From then on only the open
 * spell changes, growing with as_of (lib/metrics/compute/blocked-time.ts, blockedTimeFromFacts),
 * so the blockers of a team read one row per blocked item; an item changed after as_of is
 * computed from its spans. Items without blocked time have no row.
 */
export const itemBlockedFacts = pgTable(
  "item_blocked_facts",
  {
    // No foreign key (as transitions and blocks have none): checking one per row cost an
    // import more than writing the row; whatever removes an item removes its facts.
    itemId: bigint("item_id", { mode: "number" }).primaryKey(),
    teamId: integer("team_id").notNull(),
    validFrom: instant("valid_from").notNull(),
    blockedMs: doublePrecision("blocked_ms").notNull(),
    openSince: instant("open_since"),
    /** string[]: the open blocker's reasons, earliest first. */
    openReasons: jsonb("open_reasons").notNull(),
    /** [reason, ms, open][]: blocked time per reason up to valid_from, and whether it still grows. */
    byReason: jsonb("by_reason").notNull(),
  },
  (t) => [index("item_blocked_facts_team").on(t.teamId, t.validFrom)],
);

/** Teams whose items' blocked facts are built (a database migrated from before them has none yet). */
export const blockedFactsTeams = pgTable("blocked_facts_teams", {
  teamId: integer("team_id")
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  builtAt: instant("built_at").notNull().defaultNow(),
});
