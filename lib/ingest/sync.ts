// One sync engine for every tracker: fetch pages (each stored with its resume cursor), reconcile
// deletions and moves, then re-derive the team's history from every stored payload and import it
// as one document. Every run records its counts per layer, so nothing disappears silently.
import "server-only";
import type { Db } from "../db/client";
import { getTeamByKey } from "../db/queries/teams";
import { listSourceRecords, removeRecords, setRecordKeys, storePage, updateSource, type SourceRow } from "../db/queries/sources";
import type { SyncCounts } from "../db/schema";
import { AppError, logInternalError } from "../errors";
import { payloadWithoutNul, type MappedRecord, type SyncTarget } from "../connectors/tracker";
import { importHistory } from "./history";
import { buildSyncDocument } from "./sync-document";
import { claimSyncRun } from "./sync-lock";

/** Re-fetched before the last high-water mark: a tracker's clock and its index lag a little. */
export const SYNC_OVERLAP_MS = 10 * 60 * 1000;

export interface SyncOptions {
  /** Fetch everything, not only what changed since the last sync (and ignore a resume cursor). */
  full?: boolean;
  signal?: AbortSignal;
  /** After each stored page: the counts so far (the CLI's progress line). */
  onProgress?: (counts: SyncCounts) => void;
}

export interface SyncSummary {
  runId: number;
  source: string;
  counts: SyncCounts;
  reasons: Record<string, number>;
}

export type { SyncTarget } from "../connectors/tracker";

export async function syncSource(db: Db, source: SourceRow, target: SyncTarget, options: SyncOptions = {}): Promise<SyncSummary> {
  const full = options.full ?? false;
  // Refused (SYNC_RUNNING) while another sync of this source runs, before anything is written.
  const lease = await claimSyncRun(db, source, { full, signal: options.signal });
  const runId = lease.runId;
  const counts: SyncCounts = { fetched: 0, mapped: 0, stored: 0, unchanged: 0, skipped: 0, deleted: 0, cleaned: 0 };
  let reasons: Record<string, number> = {};
  let nulRemoved = 0;
  const fetched = new Map<string, MappedRecord>();
  let storing: Promise<void> = Promise.resolve();
  try {
    // 1. Fetch: each page and the cursor after it are stored together, so a sync killed halfway
    //    resumes after its last whole page. Pages are stored in order, one at a time, while the
    //    next is fetched and mapped; `fetched` counts the records stored.
    const resume = !full && source.cursor !== null && source.cursor !== undefined;
    const updatedSince = full || !source.highWater ? null : new Date(source.highWater.getTime() - SYNC_OVERLAP_MS);
    for await (const page of target.connector.fetchPages({ updatedSince, cursor: resume ? source.cursor : undefined, signal: lease.signal })) {
      const records = page.records.map((r) => {
        const { value, removed } = hasNul(r.payload) ? payloadWithoutNul(r.payload) : { value: r.payload, removed: 0 };
        nulRemoved += removed;
        return { id: r.id, updatedAt: new Date(r.updatedAt), payload: value };
      });
      const previous = storing;
      storing = previous.then(async () => {
        await storePage(db, source.id, records, page.cursor);
        counts.fetched += records.length;
        options.onProgress?.({ ...counts });
      });
      storing.catch(() => {});
      // Mapped while the page is stored: step 3 then need not read these payloads back. The last
      // copy of a record fetched twice wins, as it does in the store.
      for (const r of records) fetched.set(r.id, target.map(r.payload));
      // A page that could not be stored ends the sync before another is fetched.
      await previous;
    }
    await storing;

    // 2. Reconcile: what the tracker no longer lists in scope (deleted, moved away) leaves the store.
    const inScope = await target.connector.listIds(lease.signal);
    const statuses = await target.connector.listStatuses();
    const stored = await listSourceRecords(db, source.id, new Set(fetched.keys()));
    const gone = stored.filter((r) => !inScope.has(r.recordId));
    const live = stored.filter((r) => inScope.has(r.recordId));

    // 3. Derive the whole history from the stored payloads with the current mapping.
    const mapped = live.map((r) => ({ recordId: r.recordId, mapped: fetched.get(r.recordId) ?? target.map(r.payload) }));
    const doc = buildSyncDocument(mapped, statuses, source.mapping);
    reasons = doc.reasons;
    if (nulRemoved > 0) reasons["repaired: NUL characters removed from fetched payloads (Postgres cannot store them)"] = nulRemoved;
    counts.mapped = doc.items.length;
    counts.skipped = doc.skipped;
    counts.cleaned = doc.cleaned + nulRemoved;
    const keyOf = new Map(doc.items.map((i) => [i.recordId, String(i.item.key)]));
    const liveKeys = new Set(keyOf.values());
    // An item whose key changed (moved between projects in scope) or that no longer maps leaves
    // under its old key.
    const staleKeys = live.filter((r) => r.itemKey !== null && keyOf.get(r.recordId) !== r.itemKey).map((r) => r.itemKey!);
    const goneKeys = gone.flatMap((r) => (r.itemKey ? [r.itemKey] : []));
    const removed = await removeRecords(
      db,
      source.id,
      source.teamKey,
      gone.map((r) => r.recordId),
      [...goneKeys, ...staleKeys].filter((k) => !liveKeys.has(k)),
    );
    counts.deleted = removed;
    if (gone.length > 0) reasons[`deleted: no longer in the source's scope (deleted or moved)`] = gone.length;

    const team = await getTeamByKey(db, source.teamKey);
    const timezone = team?.timezone ?? (typeof source.settings.timezone === "string" ? source.settings.timezone : "UTC");
    const summary = await importHistory(db, {
      name: `sync:${source.name}`,
      header: { version: 1, team: { key: source.teamKey, name: team?.name, timezone }, workflow: doc.workflow, milestones: doc.milestones },
      items: doc.items.map((i) => ({ where: `record ${i.recordId}`, value: i.item })),
    });
    counts.stored = summary.counts.created + summary.counts.updated;
    counts.unchanged = summary.counts.unchanged;

    await setRecordKeys(
      db,
      source.id,
      live.map((r) => ({ recordId: r.recordId, itemKey: keyOf.get(r.recordId) ?? null })),
    );
    const highWater = live.reduce<Date | null>((max, r) => (max === null || r.updatedAt > max ? r.updatedAt : max), source.highWater);
    // The statuses only the history names are kept beside the tracker's list, flagged, so the
    // mapping review can offer them too (the next sync lists them afresh from the payloads).
    const reviewed = [...statuses, ...doc.unlisted.map((u) => ({ id: u.id, name: u.name, suggested: null, listed: false as const }))];
    await updateSource(db, source.id, { cursor: null, highWater, lastSyncedAt: new Date(), statuses: reviewed });
    await lease.finish({ status: "succeeded", counts, reasons });
    return { runId, source: source.name, counts, reasons };
  } catch (error) {
    // The cursor stays: the next sync resumes after the last page stored.
    const message = error instanceof AppError ? error.message : "internal error (see the server log)";
    // The log gets the kind and the stack, never the message (it may quote a request or a payload).
    if (!(error instanceof AppError)) logInternalError(error);
    // A page still being stored lands (or fails) before the run is closed; a store that failed
    // while a fetch failed too is logged, as the fetch's error is the one recorded.
    await storing.catch((stored: unknown) => {
      if (stored !== error && !(stored instanceof AppError)) logInternalError(stored);
    });
    await lease.finish({ status: "failed", counts, reasons, error: message }).catch(() => {});
    throw error;
  }
}

/** Whether a payload holds a NUL anywhere: most hold none, and then need no cleaned copy. */
function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === "object") {
    for (const key in value) if (key.includes("\u0000") || hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
