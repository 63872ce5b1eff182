import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { shareLinks, teams, users, type ShareKind } from "../schema";
import { getDataVersion } from "./data-version";

export type ShareLinkRow = typeof shareLinks.$inferSelect;

export async function insertShareLink(
  db: Db,
  link: { tokenHash: string; teamId: number; kind: ShareKind; chart: string | null; view: Record<string, string>; rollingDays: number | null; createdBy: number | null; expiresAt: Date | null },
): Promise<ShareLinkRow> {
  const [row] = await db.insert(shareLinks).values(link).returning();
  return row!;
}

export async function getShareLinkByHash(db: Db, tokenHash: string): Promise<ShareLinkRow | null> {
  const [row] = await db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash));
  return row ?? null;
}

export async function getShareLink(db: Db, id: number): Promise<ShareLinkRow | null> {
  const [row] = await db.select().from(shareLinks).where(eq(shareLinks.id, id));
  return row ?? null;
}

/** Counts a visit (one statement, so concurrent visits all count). */
export async function countShareLinkView(db: Db, id: number, at: Date) {
  await db
    .update(shareLinks)
    .set({ views: sql`${shareLinks.views} + 1`, lastViewedAt: at })
    .where(eq(shareLinks.id, id));
}

export async function revokeShareLinkRow(db: Db, id: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(shareLinks)
    .set({ revokedAt: at })
    .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id });
  return rows.length > 0;
}

/** Links with their team and creator; `createdBy` keeps one creator's. */
export async function listShareLinkRows(db: Db, createdBy?: number) {
  return db
    .select({
      id: shareLinks.id,
      kind: shareLinks.kind,
      chart: shareLinks.chart,
      view: shareLinks.view,
      rollingDays: shareLinks.rollingDays,
      team: teams.key,
      teamName: teams.name,
      teamId: shareLinks.teamId,
      createdBy: shareLinks.createdBy,
      creator: users.name,
      createdAt: shareLinks.createdAt,
      expiresAt: shareLinks.expiresAt,
      revokedAt: shareLinks.revokedAt,
      views: shareLinks.views,
      lastViewedAt: shareLinks.lastViewedAt,
    })
    .from(shareLinks)
    .innerJoin(teams, eq(teams.id, shareLinks.teamId))
    .leftJoin(users, eq(users.id, shareLinks.createdBy))
    .where(createdBy === undefined ? undefined : eq(shareLinks.createdBy, createdBy))
    .orderBy(desc(shareLinks.id));
}

/**
 * What a shared view's numbers depend on besides its link: the stored data's version (the one the
 * metric cache uses: imports, syncs, roadblocks) and the team's annotations. When neither moved, a
 * frozen view is the same as the last time it was drawn, in whichever app instance drew it.
 */
export async function getShareDataVersion(db: Db, teamId: number): Promise<string> {
  const [data, [row]] = await Promise.all([
    getDataVersion(db),
    queryRows<{ notes: string | null; note_count: number }>(
      db,
      sql`select (select max(updated_at)::text from annotations where team_id = ${teamId}) as notes,
            (select count(*)::int from annotations where team_id = ${teamId}) as note_count`,
    ),
  ]);
  return `${data}/${row?.notes ?? ""}/${row?.note_count ?? 0}`;
}
