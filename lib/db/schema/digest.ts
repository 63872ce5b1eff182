import { boolean, check, date, index, integer, pgTable, serial, text, timestamp, unique } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./auth";
import { teams } from "./work";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const DIGEST_CHANNELS = ["email", "webhook"] as const;
export type DigestChannel = (typeof DIGEST_CHANNELS)[number];

export const DIGEST_DELIVERY_STATUSES = ["pending", "sending", "sent", "failed"] as const;
export type DigestDeliveryStatus = (typeof DIGEST_DELIVERY_STATUSES)[number];

/**
 * Who receives the weekly digest, where and when. Either one team's digest (team_id) or a leader's
 * (leader_id: every team that user may see, re-read at each send, so a changed team list counts).
 */
export const digestSubscriptions = pgTable(
  "digest_subscriptions",
  {
    id: serial("id").primaryKey(),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "cascade" }),
    leaderId: integer("leader_id").references(() => users.id, { onDelete: "cascade" }),
    channel: text("channel").$type<DigestChannel>().notNull(),
    /** For email: the address. */
    address: text("address"),
    /**
     * For a webhook: the name of the THROUGHLINE_SECRET_* variable holding its URL. A Slack webhook
     * URL is a credential, so it never enters the database (as an import schedule's auth header).
     */
    webhookEnv: text("webhook_env"),
    /** ISO weekday, 1 = Monday … 7 = Sunday, and hour 0–23, in `timezone` (the recipient's). */
    weekday: integer("weekday").notNull(),
    hour: integer("hour").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("digest_subscriptions_scope", sql`(${t.teamId} is null) <> (${t.leaderId} is null)`),
    check("digest_subscriptions_target", sql`(${t.channel} = 'email' and ${t.address} is not null) or (${t.channel} = 'webhook' and ${t.webhookEnv} is not null)`),
    check("digest_subscriptions_when", sql`${t.weekday} between 1 and 7 and ${t.hour} between 0 and 23`),
  ],
);

/**
 * One row per subscription and digested week. The unique pair is the claim: however many workers
 * tick, one insert wins, so a recipient gets a week's digest once. `last_error` never holds a
 * secret (the delivery code writes its own messages, not a transport's, which may echo the URL).
 */
export const digestDeliveries = pgTable(
  "digest_deliveries",
  {
    id: serial("id").primaryKey(),
    subscriptionId: integer("subscription_id")
      .notNull()
      .references(() => digestSubscriptions.id, { onDelete: "cascade" }),
    /** The Monday of the digested week (Monday–Sunday), in the recipient's timezone. */
    week: date("week", { mode: "string" }).notNull(),
    status: text("status").$type<DigestDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** When the current attempt took the row: a stale "sending" (a worker died) may be taken again. */
    claimedAt: instant("claimed_at"),
    sentAt: instant("sent_at"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [unique("digest_deliveries_once").on(t.subscriptionId, t.week), index("digest_deliveries_status").on(t.status)],
);
