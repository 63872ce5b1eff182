import "server-only";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { appSettings, teamMembers, teams, users, type UserRole } from "../schema";

export type UserRow = typeof users.$inferSelect;

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function getUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

/** A user who may act: exists and is not disabled. */
export async function getActiveUser(db: Db, id: number): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), isNull(users.disabledAt)));
  return row ?? null;
}

export async function listUserTeamIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId));
  return rows.map((r) => r.teamId);
}

export async function listUsers(db: Db) {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, allTeams: users.allTeams, createdAt: users.createdAt, disabledAt: users.disabledAt })
    .from(users)
    .orderBy(asc(users.id));
}

export async function insertUser(db: Db, user: { email: string; name: string; passwordHash: string | null; role: UserRole; allTeams?: boolean }) {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: user.email.trim().toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row ?? null;
}

export async function setUserTeams(db: Db, userId: number, teamIds: readonly number[]) {
  await db.delete(teamMembers).where(eq(teamMembers.userId, userId));
  if (teamIds.length) await db.insert(teamMembers).values(teamIds.map((teamId) => ({ userId, teamId })));
}

export async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key));
  return row?.value as T | undefined;
}

export async function putSetting(db: Db, key: string, value: unknown) {
  await db.insert(appSettings).values({ key, value }).onConflictDoUpdate({ target: appSettings.key, set: { value } });
}

/** A user whether disabled or not. */
export async function getUserById(db: Db, id: number): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** Changes a user's role, team limit or disabled state; the row after, or null for no such user. */
export async function updateUserAccess(db: Db, id: number, change: { role?: UserRole; allTeams?: boolean; disabledAt?: Date | null }): Promise<UserRow | null> {
  const [row] = await db.update(users).set(change).where(eq(users.id, id)).returning();
  return row ?? null;
}

/**
 * The ids of the active admins, their rows locked until the transaction ends: two admins demoting
 * or disabling each other at once cannot both see the other still there.
 */
export async function lockActiveAdminIds(db: Db): Promise<number[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((r) => r.id);
}

/** Every user's listed teams, by key (users who see every team may have none listed). */
export async function listUserTeamKeys(db: Db): Promise<{ userId: number; key: string }[]> {
  return db
    .select({ userId: teamMembers.userId, key: teams.key })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .orderBy(asc(teamMembers.userId), asc(teams.key));
}
