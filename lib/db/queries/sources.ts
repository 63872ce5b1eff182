import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { pgArray } from "../sql-array";
import { blocks, sourceRecords, sources, syncRuns, teams, transitions, workItems, type SyncCounts } from "../schema";

export type SourceRow = typeof sources.$inferSelect;
export type NewSource = typeof sources.$inferInsert;

export async function insertSource(db: Db, source: NewSource): Promise<SourceRow> {
  const [row] = await db.insert(sources).values(source).returning();
  return row!;
}

export async function getSourceByName(db: Db, name: string): Promise<SourceRow | null> {
  const [row] = await db.select().from(sources).where(eq(sources.name, name));
  return row ?? null;
}

export async function listSources(db: Db): Promise<SourceRow[]> {
  return db.select().from(sources).orderBy(asc(sources.name));
}

export async function deleteSource(db: Db, id: number): Promise<void> {
  await db.delete(sources).where(eq(sources.id, id));
}

export async function updateSource(db: Db, id: number, patch: Partial<Pick<SourceRow, "cursor" | "highWater" | "lastSyncedAt" | "statuses" | "mapping">>): Promise<void> {
  await db.update(sources).set(patch).where(eq(sources.id, id));
}

/** Stores one fetched page and where to resume after it, together: a kill leaves the page whole or absent. */
export async function storePage(db: Db, sourceId: number, records: { id: string; updatedAt: Date; payload: unknown }[], cursor: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    if (records.length > 0) {
      await tx
        .insert(sourceRecords)
        .values(records.map((r) => ({ sourceId, recordId: r.id, updatedAt: r.updatedAt, payload: r.payload })))
        .onConflictDoUpdate({
          target: [sourceRecords.sourceId, sourceRecords.recordId],
          set: { updatedAt: sql`excluded.updated_at`, payload: sql`excluded.payload` },
        });
    }
    await tx.update(sources).set({ cursor: cursor ?? null }).where(eq(sources.id, sourceId));
  });
}

export async function listSourceRecords(db: Db, sourceId: number) {
  return db.select().from(sourceRecords).where(eq(sourceRecords.sourceId, sourceId)).orderBy(asc(sourceRecords.recordId));
}

/** Remembers the work item key of each record, in one statement. */
export async function setRecordKeys(db: Db, sourceId: number, keys: { recordId: string; itemKey: string | null }[]): Promise<void> {
  if (keys.length === 0) return;
  await db.execute(sql`
    update source_records r set item_key = k.item_key
    from unnest(${pgArray(keys.map((k) => k.recordId))}::text[], ${pgArray(keys.map((k) => k.itemKey))}::text[]) as k(record_id, item_key)
    where r.source_id = ${sourceId} and r.record_id = k.record_id and r.item_key is distinct from k.item_key`);
}

/**
 * Removes records gone from the tracker's scope and their work items (with transitions and
 * blocks), in one transaction; returns how many items left the store.
 */
export async function removeRecords(db: Db, sourceId: number, teamKey: string, recordIds: string[], itemKeys: string[]): Promise<number> {
  if (recordIds.length === 0 && itemKeys.length === 0) return 0;
  return db.transaction(async (tx) => {
    if (recordIds.length > 0) await tx.delete(sourceRecords).where(and(eq(sourceRecords.sourceId, sourceId), inArray(sourceRecords.recordId, recordIds)));
    if (itemKeys.length === 0) return 0;
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.key, teamKey));
    if (!team) return 0;
    const gone = await tx
      .select({ id: workItems.id })
      .from(workItems)
      .where(and(eq(workItems.teamId, team.id), inArray(workItems.key, itemKeys)));
    const ids = gone.map((g) => g.id);
    if (ids.length === 0) return 0;
    await tx.delete(transitions).where(inArray(transitions.itemId, ids));
    await tx.delete(blocks).where(inArray(blocks.itemId, ids));
    await tx.delete(workItems).where(inArray(workItems.id, ids));
    return ids.length;
  });
}

export async function startSyncRun(db: Db, sourceId: number, full: boolean): Promise<number> {
  const [row] = await db.insert(syncRuns).values({ sourceId, full }).returning({ id: syncRuns.id });
  return row!.id;
}

export async function finishSyncRun(db: Db, id: number, result: { status: "succeeded" | "failed"; counts: SyncCounts; reasons: Record<string, number>; error?: string }): Promise<void> {
  await db
    .update(syncRuns)
    .set({ status: result.status, counts: result.counts, reasons: result.reasons, error: result.error ?? null, finishedAt: new Date() })
    .where(eq(syncRuns.id, id));
}

export async function listSyncRuns(db: Db, sourceId: number, limit = 20) {
  return db.select().from(syncRuns).where(eq(syncRuns.sourceId, sourceId)).orderBy(desc(syncRuns.id)).limit(limit);
}

/** When the team's data last changed (its last successful import or sync), and each source's last sync. */
export async function getTeamFreshness(db: Db, teamKey: string) {
  const [imported] = await queryRows<{ at: Date | string | null }>(db, sql`select max(finished_at) as at from import_runs where team_key = ${teamKey} and status = 'succeeded'`);
  const syncs = await db
    .select({ name: sources.name, status: syncRuns.status, error: syncRuns.error, finishedAt: syncRuns.finishedAt })
    .from(sources)
    .innerJoin(syncRuns, eq(syncRuns.sourceId, sources.id))
    .where(and(eq(sources.teamKey, teamKey), sql`${syncRuns.id} = (select max(id) from sync_runs r where r.source_id = ${sources.id} and r.status <> 'running')`));
  const at = imported?.at ? new Date(imported.at) : null;
  return { updatedAt: at, failedSyncs: syncs.filter((s) => s.status === "failed").map((s) => ({ source: s.name, error: s.error, at: s.finishedAt })) };
}
