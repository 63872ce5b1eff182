import { integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";

export const TOKEN_SCOPES = ["metrics:read", "kpis:write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * Tokens for machine clients (the metric API, the KPI push API). Only a hash is stored; the token is
 * shown once. A token acts for its owner within its scopes, never beyond what the owner may do.
 */
export const apiTokens = pgTable("api_tokens", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  /** The first characters, so a person can tell tokens apart in settings. */
  prefix: text("prefix").notNull(),
  /** Null only for tokens made before accounts existed: those no longer authenticate. */
  userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
  scopes: text("scopes").array().$type<TokenScope[]>().notNull().default([]),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});
