import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { pgArray } from "../sql-array";
import { blocks, itemBlockedFacts, sourceRecords, sources, syncRuns, teams, transitions, workItems, type SyncCounts } from "../schema";
import { dropDayFacts } from "./day-facts";

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
    // No wait for the disk at each page: a server crash can lose only the last pages, each with
    // its cursor, so the sync resumes before them and fetches them again.
    await tx.execute(sql`set local synchronous_commit = off`);
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

/**
 * The source's records. `inMemory` names records whose payload the caller holds already (it just
 * fetched them): theirs come back as null, which spares reading and parsing them again.
 */
export async function listSourceRecords(db: Db, sourceId: number, inMemory?: ReadonlySet<string>) {
  if (!inMemory || inMemory.size === 0) return db.select().from(sourceRecords).where(eq(sourceRecords.sourceId, sourceId)).orderBy(asc(sourceRecords.recordId));
  const skipped = pgArray([...inMemory]);
  return db
    .select({
      sourceId: sourceRecords.sourceId,
      recordId: sourceRecords.recordId,
      updatedAt: sourceRecords.updatedAt,
      payload: sql<unknown>`case when ${sourceRecords.recordId} = any(${skipped}::text[]) then null else ${sourceRecords.payload} end`,
      itemKey: sourceRecords.itemKey,
    })
    .from(sourceRecords)
    .where(eq(sourceRecords.sourceId, sourceId))
    .orderBy(asc(sourceRecords.recordId));
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
    await tx.delete(itemBlockedFacts).where(inArray(itemBlockedFacts.itemId, ids));
    await tx.delete(workItems).where(inArray(workItems.id, ids));
    // The team's day-level facts still count these items: metrics read transitions until the
    // sync's import, which follows, rebuilds them.
    await dropDayFacts(tx, team.id);
    return ids.length;
  });
}

export type SyncClaim = { ok: true; runId: number; abandoned: number[] } | { ok: false; running: { id: number; startedAt: Date; leaseUntil: Date | null } };

const leaseEnd = (leaseMs: number) => sql`now() + ${Math.round(leaseMs)}::int * interval '1 millisecond'`;

/**
 * Starts a run of the source unless a live run holds it (lib/ingest/sync-lock.ts). One short
 * transaction that locks the source's row, so two processes claiming at once take turns; a running
 * run whose lease expired (or that has none, from before leases) is marked failed first.
 */
export async function claimSyncRun(db: Db, sourceId: number, full: boolean, leaseMs: number): Promise<SyncClaim> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from sources where id = ${sourceId} for update`);
    const abandoned = await tx
      .update(syncRuns)
      .set({ status: "failed", finishedAt: sql`now()`, error: "abandoned: its process stopped renewing its lease (killed or cut off); a later sync took over" })
      .where(and(eq(syncRuns.sourceId, sourceId), eq(syncRuns.status, "running"), sql`(${syncRuns.leaseUntil} is null or ${syncRuns.leaseUntil} <= now())`))
      .returning({ id: syncRuns.id });
    const [running] = await tx
      .select({ id: syncRuns.id, startedAt: syncRuns.startedAt, leaseUntil: syncRuns.leaseUntil })
      .from(syncRuns)
      .where(and(eq(syncRuns.sourceId, sourceId), eq(syncRuns.status, "running")))
      .orderBy(asc(syncRuns.id))
      .limit(1);
    if (running) return { ok: false, running };
    const [row] = await tx.insert(syncRuns).values({ sourceId, full, leaseUntil: leaseEnd(leaseMs) }).returning({ id: syncRuns.id });
    return { ok: true, runId: row!.id, abandoned: abandoned.map((a) => a.id) };
  });
}

/** Extends a running run's lease; false when the run no longer holds it (finished, or taken over once expired). */
export async function renewSyncLease(db: Db, runId: number, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ leaseUntil: leaseEnd(leaseMs) })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, "running")))
    .returning({ id: syncRuns.id });
  return rows.length > 0;
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
