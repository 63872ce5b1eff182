import "server-only";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { invites, users, type UserRole } from "../schema";

export type InviteRow = typeof invites.$inferSelect;

export async function insertInvite(
  db: Db,
  invite: { tokenHash: string; email: string; role: UserRole; teamIds: number[] | null; createdBy: number | null; createdAt: Date; expiresAt: Date },
) {
  const [row] = await db
    .insert(invites)
    .values({ ...invite, email: invite.email.trim().toLowerCase() })
    .returning({ id: invites.id, email: invites.email, role: invites.role, expiresAt: invites.expiresAt });
  return row!;
}

export async function getInviteByTokenHash(db: Db, tokenHash: string): Promise<InviteRow | null> {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash));
  return row ?? null;
}

/**
 * Marks a live invite used and returns it, or null when it is unknown, expired or used already.
 * One statement: of two concurrent claims only one finds used_at still null.
 */
export async function claimInvite(db: Db, tokenHash: string, now: Date): Promise<InviteRow | null> {
  const [row] = await db
    .update(invites)
    .set({ usedAt: now })
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.usedAt), gt(invites.expiresAt, now)))
    .returning();
  return row ?? null;
}

/** Invites not used and not expired at `now`, soonest to expire first, with who made them. */
export async function listOpenInvites(db: Db, now: Date) {
  return db
    .select({ id: invites.id, email: invites.email, role: invites.role, teamIds: invites.teamIds, createdAt: invites.createdAt, expiresAt: invites.expiresAt, createdBy: users.email })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.createdBy))
    .where(and(isNull(invites.usedAt), gt(invites.expiresAt, now)))
    .orderBy(asc(invites.expiresAt), asc(invites.id));
}

/** Ends every open invite for an email at `now` (a new invite replaces them). */
export async function expireOpenInvitesFor(db: Db, email: string, now: Date): Promise<void> {
  await db
    .update(invites)
    .set({ expiresAt: now })
    .where(and(eq(invites.email, email.trim().toLowerCase()), isNull(invites.usedAt), gt(invites.expiresAt, now)));
}

/** Ends an open invite at `now`; true if one was open. */
export async function expireInvite(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ expiresAt: now })
    .where(and(eq(invites.id, id), isNull(invites.usedAt), gt(invites.expiresAt, now)))
    .returning({ id: invites.id });
  return rows.length > 0;
}
