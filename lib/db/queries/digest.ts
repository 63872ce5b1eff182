// What the weekly digest reads beyond the metric engine: open roadblocks, and its subscriptions and
// deliveries (the claim that sends each recipient a week's digest once).
import "server-only";
import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { digestDeliveries, digestSubscriptions, roadblocks, teams, users, type DigestChannel } from "../schema";

export interface OpenRoadblockRow {
  itemKey: string;
  problem: string;
  proposal: string;
  supportNeeded: string | null;
  reportedAt: Date;
}

/**
 * Roadblocks open at as_of, longest waiting first. Open now is "no decision and not ended"; for an
 * earlier as_of, a decision or an end after it had not happened yet (a reopened roadblock's earlier
 * decisions are in roadblock_events, which this does not replay: it reads the latest answer).
 */
export async function listOpenRoadblocks(db: Db, teamId: number, asOf: Date): Promise<OpenRoadblockRow[]> {
  return db
    .select({ itemKey: roadblocks.itemKey, problem: roadblocks.problem, proposal: roadblocks.proposal, supportNeeded: roadblocks.supportNeeded, reportedAt: roadblocks.reportedAt })
    .from(roadblocks)
    .where(
      and(
        eq(roadblocks.teamId, teamId),
        lte(roadblocks.reportedAt, asOf),
        or(isNull(roadblocks.decidedAt), gt(roadblocks.decidedAt, asOf), isNull(roadblocks.decision)),
        or(isNull(roadblocks.endedAt), gt(roadblocks.endedAt, asOf)),
      ),
    )
    .orderBy(asc(roadblocks.reportedAt), asc(roadblocks.id));
}

export type DigestSubscriptionRow = typeof digestSubscriptions.$inferSelect;
export type DigestDeliveryRow = typeof digestDeliveries.$inferSelect;

export async function insertDigestSubscription(
  db: Db,
  row: { teamId: number | null; leaderId: number | null; channel: DigestChannel; address: string | null; webhookEnv: string | null; weekday: number; hour: number; timezone: string; createdBy: number | null },
): Promise<DigestSubscriptionRow> {
  const [created] = await db.insert(digestSubscriptions).values(row).returning();
  return created!;
}

export async function getDigestSubscription(db: Db, id: number): Promise<DigestSubscriptionRow | null> {
  const [row] = await db.select().from(digestSubscriptions).where(eq(digestSubscriptions.id, id));
  return row ?? null;
}

/** Every subscription with its team's key and its leader's email, for lists. */
export async function listDigestSubscriptionRows(db: Db, filter: { teamId?: number; enabled?: boolean } = {}) {
  return db
    .select({ subscription: digestSubscriptions, team: teams.key, leader: users.email })
    .from(digestSubscriptions)
    .leftJoin(teams, eq(teams.id, digestSubscriptions.teamId))
    .leftJoin(users, eq(users.id, digestSubscriptions.leaderId))
    .where(
      and(
        filter.teamId === undefined ? undefined : eq(digestSubscriptions.teamId, filter.teamId),
        filter.enabled === undefined ? undefined : eq(digestSubscriptions.enabled, filter.enabled),
      ),
    )
    .orderBy(asc(digestSubscriptions.id));
}

export async function deleteDigestSubscription(db: Db, id: number): Promise<boolean> {
  return (await db.delete(digestSubscriptions).where(eq(digestSubscriptions.id, id)).returning({ id: digestSubscriptions.id })).length > 0;
}

export async function getDigestDelivery(db: Db, subscriptionId: number, week: string): Promise<DigestDeliveryRow | null> {
  const [row] = await db.select().from(digestDeliveries).where(and(eq(digestDeliveries.subscriptionId, subscriptionId), eq(digestDeliveries.week, week)));
  return row ?? null;
}

export async function listDigestDeliveries(db: Db, subscriptionIds: readonly number[]): Promise<DigestDeliveryRow[]> {
  if (subscriptionIds.length === 0) return [];
  return db.select().from(digestDeliveries).where(inArray(digestDeliveries.subscriptionId, [...subscriptionIds])).orderBy(asc(digestDeliveries.id));
}

/** The delivery row of a (subscription, week), made once whoever asks first (unique pair). */
export async function ensureDigestDelivery(db: Db, subscriptionId: number, week: string): Promise<void> {
  await db.insert(digestDeliveries).values({ subscriptionId, week }).onConflictDoNothing({ target: [digestDeliveries.subscriptionId, digestDeliveries.week] });
}

/**
 * Takes the delivery for one attempt: one statement, so of any number of workers one gets it. A
 * sent one is never taken again; a "sending" one only once its claim is stale (its worker died).
 */
export async function claimDigestDelivery(db: Db, subscriptionId: number, week: string, now: Date, staleBefore: Date): Promise<DigestDeliveryRow | null> {
  const [row] = await db
    .update(digestDeliveries)
    .set({ status: "sending", attempts: sql`${digestDeliveries.attempts} + 1`, claimedAt: now })
    .where(
      and(
        eq(digestDeliveries.subscriptionId, subscriptionId),
        eq(digestDeliveries.week, week),
        or(inArray(digestDeliveries.status, ["pending", "failed"]), and(eq(digestDeliveries.status, "sending"), lt(digestDeliveries.claimedAt, staleBefore))),
      ),
    )
    .returning();
  return row ?? null;
}

export async function finishDigestDelivery(db: Db, id: number, outcome: { status: "sent"; at: Date } | { status: "failed"; error: string }): Promise<void> {
  await db
    .update(digestDeliveries)
    .set(outcome.status === "sent" ? { status: "sent", sentAt: outcome.at, lastError: null } : { status: "failed", lastError: outcome.error })
    .where(eq(digestDeliveries.id, id));
}
