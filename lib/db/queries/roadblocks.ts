import "server-only";
import { alias } from "drizzle-orm/pg-core";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { blocks, roadblockEvents, roadblocks, users, type RoadblockDecision } from "../schema";

const reporter = alias(users, "reporter");
const decider = alias(users, "decider");

export interface RoadblockRow {
  id: number;
  teamId: number;
  itemKey: string;
  problem: string;
  proposal: string;
  supportNeeded: string | null;
  since: Date;
  reportedBy: number | null;
  reporterName: string | null;
  reportedAt: Date;
  decision: RoadblockDecision | null;
  decisionText: string | null;
  decidedBy: number | null;
  deciderName: string | null;
  decidedAt: Date | null;
  endedAt: Date | null;
}

export interface RoadblockEventRow {
  id: number;
  at: Date;
  actorName: string | null;
  kind: "reported" | "decided" | "reopened";
  decision: RoadblockDecision | null;
  text: string | null;
  endsBlock: boolean | null;
}

const columns = {
  id: roadblocks.id,
  teamId: roadblocks.teamId,
  itemKey: roadblocks.itemKey,
  problem: roadblocks.problem,
  proposal: roadblocks.proposal,
  supportNeeded: roadblocks.supportNeeded,
  since: roadblocks.since,
  reportedBy: roadblocks.reportedBy,
  reporterName: reporter.name,
  reportedAt: roadblocks.reportedAt,
  decision: roadblocks.decision,
  decisionText: roadblocks.decisionText,
  decidedBy: roadblocks.decidedBy,
  deciderName: decider.name,
  decidedAt: roadblocks.decidedAt,
  endedAt: roadblocks.endedAt,
};

export async function getRoadblock(db: Db, id: number): Promise<RoadblockRow | null> {
  const [row] = await db
    .select(columns)
    .from(roadblocks)
    .leftJoin(reporter, eq(reporter.id, roadblocks.reportedBy))
    .leftJoin(decider, eq(decider.id, roadblocks.decidedBy))
    .where(eq(roadblocks.id, id));
  return row ?? null;
}

/** A team's roadblocks, the latest reported first. */
export async function listTeamRoadblocks(db: Db, teamId: number): Promise<RoadblockRow[]> {
  return db
    .select(columns)
    .from(roadblocks)
    .leftJoin(reporter, eq(reporter.id, roadblocks.reportedBy))
    .leftJoin(decider, eq(decider.id, roadblocks.decidedBy))
    .where(eq(roadblocks.teamId, teamId))
    .orderBy(desc(roadblocks.reportedAt), desc(roadblocks.id));
}

/** A team's roadblocks whose block is still open, for the blockers card's proposals. */
export async function listOpenTeamRoadblocks(db: Db, teamId: number): Promise<RoadblockRow[]> {
  return db
    .select(columns)
    .from(roadblocks)
    .leftJoin(reporter, eq(reporter.id, roadblocks.reportedBy))
    .leftJoin(decider, eq(decider.id, roadblocks.decidedBy))
    .where(and(eq(roadblocks.teamId, teamId), isNull(roadblocks.endedAt)))
    .orderBy(asc(roadblocks.since), asc(roadblocks.id));
}

export async function listRoadblockEvents(db: Db, roadblockId: number): Promise<RoadblockEventRow[]> {
  return db
    .select({
      id: roadblockEvents.id,
      at: roadblockEvents.at,
      actorName: users.name,
      kind: roadblockEvents.kind,
      decision: roadblockEvents.decision,
      text: roadblockEvents.text,
      endsBlock: roadblockEvents.endsBlock,
    })
    .from(roadblockEvents)
    .leftJoin(users, eq(users.id, roadblockEvents.actorId))
    .where(eq(roadblockEvents.roadblockId, roadblockId))
    .orderBy(asc(roadblockEvents.at), asc(roadblockEvents.id));
}

export interface NewRoadblock {
  teamId: number;
  itemKey: string;
  problem: string;
  proposal: string;
  supportNeeded: string | null;
  since: Date;
  reportedBy: number | null;
  at: Date;
}

export async function insertRoadblock(db: Db, values: NewRoadblock): Promise<number> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(roadblocks)
    .values({ ...rest, reportedAt: at })
    .returning({ id: roadblocks.id });
  return row!.id;
}

export async function insertRoadblockEvent(
  db: Db,
  values: { roadblockId: number; at: Date; actorId: number | null; kind: RoadblockEventRow["kind"]; decision?: RoadblockDecision | null; text?: string | null; endsBlock?: boolean | null },
): Promise<void> {
  await db.insert(roadblockEvents).values(values);
}

/** The roadblock's block on the item's current row: open (end null) from `start`. */
/** A roadblock's block is named by what blocks, as the blockers chart lists reasons. */
const REASON_PREFIX = "Roadblock: ";
export function roadblockBlockReason(problem: string): string {
  return `${REASON_PREFIX}${problem}`;
}

/**
 * An item that left the store (a sync removed it, a re-key moved it) took its roadblocks' blocks
 * with it; when an item of that key is back, so are they (a roadblock is reported on a key). Run by
 * every import, in its transaction; returns the items that got a block back.
 */
export async function reattachRoadblockBlocks(tx: Db, teamId: number): Promise<number[]> {
  const rows = await queryRows<{ item_id: number }>(
    tx,
    sql`insert into blocks (item_id, team_id, start, "end", reason, roadblock_id)
        select i.id, r.team_id, r.since, r.ended_at, ${REASON_PREFIX}::text || r.problem, r.id
        from roadblocks r join work_items i on i.team_id = r.team_id and i.key = r.item_key
        where r.team_id = ${teamId} and not exists (select 1 from blocks b where b.roadblock_id = r.id)
        returning item_id::float8 as item_id`,
  );
  return rows.map((r) => r.item_id);
}

export async function insertRoadblockBlock(db: Db, values: { roadblockId: number; itemId: number; teamId: number; start: Date; reason: string }): Promise<void> {
  await db.insert(blocks).values({ ...values, end: null });
}

/**
 * Stores the latest answer; `endedAt` set ends the roadblock's open block at that instant.
 * Returns the items whose block it ended.
 */
export async function storeRoadblockDecision(
  db: Db,
  id: number,
  values: { decision: RoadblockDecision; decisionText: string; decidedBy: number | null; decidedAt: Date; endedAt: Date | null },
): Promise<number[]> {
  const { endedAt, ...rest } = values;
  await db
    .update(roadblocks)
    .set(endedAt ? { ...rest, endedAt } : rest)
    .where(eq(roadblocks.id, id));
  if (!endedAt) return [];
  const ended = await db
    .update(blocks)
    .set({ end: endedAt })
    .where(and(eq(blocks.roadblockId, id), isNull(blocks.end)))
    .returning({ itemId: blocks.itemId });
  return ended.map((b) => b.itemId);
}

/** Marks an ended roadblock open again (its new block is inserted by the caller). */
export async function reopenRoadblock(db: Db, id: number): Promise<void> {
  await db.update(roadblocks).set({ endedAt: null }).where(eq(roadblocks.id, id));
}
