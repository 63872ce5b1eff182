import { date, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { userRole, users } from "./auth";
import { teams } from "./work";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const shareKind = pgEnum("share_kind", ["chart", "dashboard", "outcomes"]);
export type ShareKind = (typeof shareKind.enumValues)[number];

/**
 * A link that opens one frozen view without an account. A row, not a signed blob: it is looked up
 * by its token's hash on every request, so revoking or expiring it works at once.
 */
export const shareLinks = pgTable("share_links", {
  id: serial("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  teamId: integer("team_id")
    .notNull()
    .references(() => teams.id, { onDelete: "cascade" }),
  kind: shareKind("kind").notNull(),
  /** For kind "chart": the chart (cycle-time, histogram, throughput, wip, cfd, aging, blockers, quality). */
  chart: text("chart"),
  /** The view's filters as the address had them: type, interval, cfd; kpi, window, grain; from, to, as_of. */
  view: jsonb("view").$type<Record<string, string>>().notNull().default({}),
  /** A rolling window of the last N days, recomputed at each visit; null: the fixed window in `view`. */
  rollingDays: integer("rolling_days"),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: instant("created_at").notNull().defaultNow(),
  expiresAt: instant("expires_at"),
  revokedAt: instant("revoked_at"),
  views: integer("views").notNull().default(0),
  lastViewedAt: instant("last_viewed_at"),
});

/** A note on a team's timeline ("incident", "pricing change"): one date or a date range. */
export const annotations = pgTable(
  "annotations",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** Dates in the team's timezone. */
    startsOn: date("starts_on", { mode: "string" }).notNull(),
    /** Null: the single day startsOn. */
    endsOn: date("ends_on", { mode: "string" }),
    label: text("label").notNull(),
    note: text("note"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [index("annotations_team_starts").on(t.teamId, t.startsOn)],
);

/** An invitation to make an account, as a link (mail may not be set up); used once. */
export const invites = pgTable("invites", {
  id: serial("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  email: text("email").notNull(),
  role: userRole("role").notNull(),
  /** Team ids the new account is limited to; null: every team. */
  teamIds: integer("team_ids").array(),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: instant("created_at").notNull().defaultNow(),
  expiresAt: instant("expires_at").notNull(),
  usedAt: instant("used_at"),
});

/** Fixed-window counters for rate limits, shared by every app instance on the database. */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: instant("window_start").notNull(),
    hits: integer("hits").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
