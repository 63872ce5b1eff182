import { boolean, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { teams } from "./work";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const ROADBLOCK_DECISIONS = ["accepted", "other", "resolved"] as const;
export type RoadblockDecision = (typeof ROADBLOCK_DECISIONS)[number];

/**
 * A roadblock reported in the app: what blocks a work item, the proposed way out and the support
 * it needs, answered by a written decision. While open it is a block in the spec's sense: its
 * `blocks` row (blocks.roadblock_id) counts in blocked time and among open blockers.
 */
export const roadblocks = pgTable(
  "roadblocks",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** The blocked item, by key: the report outlives a re-import that gives the item a new row. */
    itemKey: text("item_key").notNull(),
    /** What blocks. */
    problem: text("problem").notNull(),
    /** The proposed solution. */
    proposal: text("proposal").notNull(),
    /** The support needed, and from whom or which team; null: none beyond a decision. */
    supportNeeded: text("support_needed"),
    /** Blocked since (the block's start). */
    since: instant("since").notNull(),
    reportedBy: integer("reported_by").references(() => users.id, { onDelete: "set null" }),
    reportedAt: instant("reported_at").notNull().defaultNow(),
    /** The latest written answer; null while it waits for one. */
    decision: text("decision").$type<RoadblockDecision>(),
    decisionText: text("decision_text"),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: instant("decided_at"),
    /** When the block ended (a decision that says so); null: the item is still blocked by it. */
    endedAt: instant("ended_at"),
  },
  (t) => [index("roadblocks_team").on(t.teamId, t.reportedAt)],
);

/** Everything that happened to a roadblock, in order: its page shows the whole history. */
export const roadblockEvents = pgTable(
  "roadblock_events",
  {
    id: serial("id").primaryKey(),
    roadblockId: integer("roadblock_id")
      .notNull()
      .references(() => roadblocks.id, { onDelete: "cascade" }),
    at: instant("at").notNull().defaultNow(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind").$type<"reported" | "decided" | "reopened">().notNull(),
    decision: text("decision").$type<RoadblockDecision>(),
    text: text("text"),
    endsBlock: boolean("ends_block"),
  },
  (t) => [index("roadblock_events_roadblock").on(t.roadblockId, t.at)],
);

/**
 * A team's decision with its rationale, linked to what it is about; a roadblock's answer is one.
 * Shown on the charts as an annotation when asked.
 */
export const decisions = pgTable(
  "decisions",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    rationale: text("rationale").notNull(),
    decidedAt: instant("decided_at").notNull(),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
    itemKeys: text("item_keys").array().notNull().default([]),
    milestoneKeys: text("milestone_keys").array().notNull().default([]),
    roadblockId: integer("roadblock_id").references(() => roadblocks.id, { onDelete: "set null" }),
    showOnCharts: boolean("show_on_charts").notNull().default(false),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [index("decisions_team").on(t.teamId, t.decidedAt)],
);
