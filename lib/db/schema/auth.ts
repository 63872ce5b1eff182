import { boolean, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { teams } from "./work";

export const userRole = pgEnum("user_role", ["admin", "member", "viewer"]);
export type UserRole = (typeof userRole.enumValues)[number];

/** People who sign in. Admins see every team; members and viewers all teams or only their listed ones. */
export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  /** Lower-cased: one account per address whichever way it is typed. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** argon2id; null for accounts that sign in only through GitHub or OIDC. */
  passwordHash: text("password_hash"),
  role: userRole("role").notNull(),
  /** false: the user sees only the teams in team_members. */
  allTeams: boolean("all_teams").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** A disabled user's session and tokens stop working at the next request. */
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
});

export const teamMembers = pgTable(
  "team_members",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.teamId] })],
);

/** Settings an admin changes at run time (e.g. whether "Explore the demo" is offered). */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});
