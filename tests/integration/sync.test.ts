// The sync engine against a tracker held in memory: full, incremental, killed and resumed syncs,
// deletions and moves, renamed and vanished statuses — on both engines.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchOptions, FetchedPage, MappedRecord, TrackerConnector, TrackerStatus } from "../../lib/connectors/tracker";
import type { Database } from "../../lib/db/client";
import { getSourceByName, getTeamFreshness, insertSource, listSourceRecords, listSyncRuns } from "../../lib/db/queries/sources";
import { syncSource, type SyncTarget } from "../../lib/ingest/sync";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";

interface TrackedItem {
  id: string;
  key: string;
  title: string;
  updatedAt: string;
  transitions: { at: string; statusId: string; name: string }[];
}

/** A tracker: its items and statuses are the test's to change; it pages two items at a time. */
class FakeTracker {
  statuses: TrackerStatus[] = [
    { id: "1", name: "To Do", suggested: "todo" },
    { id: "3", name: "In Progress", suggested: "in_progress" },
    { id: "10001", name: "Done", suggested: "done" },
  ];
  items = new Map<string, TrackedItem>();
  /** Throw after this many pages (the server dying mid-sync); null never. */
  dieAfter: number | null = null;
  pagesServed = 0;

  put(item: TrackedItem) {
    this.items.set(item.id, structuredClone(item));
  }

  connector(): TrackerConnector {
    return {
      kind: "jira",
      testConnection: async () => ({ description: "fake" }),
      listStatuses: async () => structuredClone(this.statuses),
      listIds: async () => new Set(this.items.keys()),
      fetchPages: (options: FetchOptions) => this.pages(options),
    };
  }

  private async *pages(options: FetchOptions): AsyncIterable<FetchedPage> {
    const since = options.updatedSince?.getTime() ?? -Infinity;
    const all = [...this.items.values()].filter((i) => Date.parse(i.updatedAt) >= since).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    let offset = (options.cursor as { offset?: number } | undefined)?.offset ?? 0;
    let served = 0;
    while (offset < all.length) {
      if (this.dieAfter !== null && served >= this.dieAfter) throw new Error("connection reset");
      const page = all.slice(offset, offset + 2);
      offset += page.length;
      served++;
      this.pagesServed++;
      yield { records: page.map((i) => ({ id: i.id, updatedAt: i.updatedAt, payload: structuredClone(i) })), cursor: offset < all.length ? { offset } : null };
    }
  }
}

const map = (payload: unknown): MappedRecord => {
  const i = payload as TrackedItem;
  const { text, removed } = { text: i.title.replace(/\u0000/g, ""), removed: i.title.split("\u0000").length - 1 };
  return {
    ok: true,
    item: { key: i.key, title: text, type: "story", created_at: i.transitions[0]!.at, url: null, milestone: null, transitions: i.transitions, blocks: [] },
    milestones: [],
    cleaned: removed > 0 ? [{ reason: "NUL removed from the title", count: removed }] : [],
  };
};

function item(n: number, updatedAt: string, statuses: [string, string][]): TrackedItem {
  return { id: `id-${n}`, key: `SP-${n}`, title: `Item ${n}`, updatedAt, transitions: statuses.map(([at, statusId]) => ({ at, statusId, name: { "1": "To Do", "3": "In Progress", "10001": "Done" }[statusId] ?? `Status ${statusId}` })) };
}

function seed(tracker: FakeTracker) {
  tracker.put(item(1, "2026-03-01T10:00:00Z", [["2026-02-01T09:00:00Z", "1"], ["2026-02-03T09:00:00Z", "3"], ["2026-02-10T09:00:00Z", "10001"]]));
  tracker.put(item(2, "2026-03-02T10:00:00Z", [["2026-02-02T09:00:00Z", "1"], ["2026-02-05T09:00:00Z", "3"]]));
  tracker.put(item(3, "2026-03-03T10:00:00Z", [["2026-02-04T09:00:00Z", "1"]]));
  tracker.put(item(4, "2026-03-04T10:00:00Z", [["2026-02-04T09:00:00Z", "1"], ["2026-02-06T09:00:00Z", "3"], ["2026-02-20T09:00:00Z", "10001"]]));
  tracker.put(item(5, "2026-03-05T10:00:00Z", [["2026-02-05T09:00:00Z", "1"], ["2026-02-07T09:00:00Z", "3"]]));
}

/** What a team holds, without its key: two teams synced differently must hold the same. */
async function store(db: Database["db"], team: string) {
  const { teams: _teams, ...held } = (await teamFootprint(db, team)) as Record<string, string | number>;
  return held;
}

describe.each(engines())("sync engine on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  async function source(tracker: FakeTracker) {
    const name = uniqueKey("src");
    const row = await insertSource(database.db, { name, kind: "jira", teamKey: uniqueKey("sync"), settings: {}, secretEnv: "THROUGHLINE_SECRET_TEST" });
    const target: SyncTarget = { connector: tracker.connector(), map };
    return { teamKey: row.teamKey, name, sync: async (options: { full?: boolean } = {}) => syncSource(database.db, (await getSourceByName(database.db, name))!, target, options), id: row.id };
  }

  it("a full sync then an incremental one gives the same store as one full sync, counting each layer", async () => {
    const tracker = new FakeTracker();
    seed(tracker);
    const a = await source(tracker);
    const first = await a.sync();
    expect(first.counts).toEqual({ fetched: 5, mapped: 5, stored: 5, unchanged: 0, skipped: 0, deleted: 0, cleaned: 0 });
    // Item 2 finishes, item 6 appears, item 3 is deleted in the tracker.
    tracker.put(item(2, "2026-03-10T10:00:00Z", [["2026-02-02T09:00:00Z", "1"], ["2026-02-05T09:00:00Z", "3"], ["2026-03-10T09:00:00Z", "10001"]]));
    tracker.put({ ...item(6, "2026-03-11T10:00:00Z", [["2026-03-01T09:00:00Z", "1"]]), title: "Six\u0000" });
    tracker.items.delete("id-3");
    const second = await a.sync();
    // Only what changed since the last sync is fetched again, and what changed within the overlap
    // before it (item 5, the newest of the first sync).
    expect(second.counts).toMatchObject({ fetched: 3, mapped: 5, stored: 2, unchanged: 3, deleted: 1, cleaned: 1 });
    expect(second.reasons).toMatchObject({ "repaired: NUL characters removed from fetched payloads (Postgres cannot store them)": 1, "deleted: no longer in the source's scope (deleted or moved)": 1 });

    const b = await source(tracker);
    await b.sync({ full: true });
    expect(await store(database.db, a.teamKey)).toEqual(await store(database.db, b.teamKey));
    expect((await store(database.db, a.teamKey)).items).toBe(5);
    const runs = await listSyncRuns(database.db, a.id);
    expect(runs.map((r) => [r.status, r.counts?.fetched])).toEqual([
      ["succeeded", 3],
      ["succeeded", 5],
    ]);
  });

  it("a sync whose server dies mid-way is recorded as failed, keeps whole pages only, and resumes to the same store", async () => {
    const tracker = new FakeTracker();
    seed(tracker);
    const a = await source(tracker);
    tracker.dieAfter = 2;
    await expect(a.sync()).rejects.toThrow("connection reset");
    const [failed] = await listSyncRuns(database.db, a.id);
    expect(failed).toMatchObject({ status: "failed", counts: { fetched: 4 } });
    // Nothing was derived from a half-fetched source: the team holds nothing yet, and its
    // dashboard says the last sync failed.
    expect((await store(database.db, a.teamKey)).items).toBe(0);
    expect(await getTeamFreshness(database.db, a.teamKey)).toMatchObject({ updatedAt: null, failedSyncs: [{ error: "internal error (see the server log)" }] });
    tracker.dieAfter = null;
    tracker.pagesServed = 0;
    const resumed = await a.sync();
    expect(tracker.pagesServed).toBe(1);
    expect(resumed.counts).toMatchObject({ fetched: 1, mapped: 5, stored: 5 });
    const fresh = await getTeamFreshness(database.db, a.teamKey);
    expect(fresh.failedSyncs).toEqual([]);
    expect(fresh.updatedAt).toBeInstanceOf(Date);

    const b = await source(tracker);
    await b.sync({ full: true });
    expect(await store(database.db, a.teamKey)).toEqual(await store(database.db, b.teamKey));
  });

  it("a page the store refuses ends the sync: pages before it are kept and counted, none after it is stored, and the next sync resumes there", async () => {
    const tracker = new FakeTracker();
    seed(tracker);
    const a = await source(tracker);
    // The store refuses item 3, the first of the second page (two items a page).
    const trigger = `refuse_${a.id}`;
    await database.db.execute(
      sql.raw(`create function ${trigger}() returns trigger language plpgsql as $$ begin if new.source_id = ${a.id} and new.record_id = 'id-3' then raise exception 'disk full'; end if; return new; end $$`),
    );
    await database.db.execute(sql.raw(`create trigger ${trigger} before insert on source_records for each row execute function ${trigger}()`));
    const progress: number[] = [];
    try {
      const row = (await getSourceByName(database.db, a.name))!;
      await expect(syncSource(database.db, row, { connector: tracker.connector(), map }, { onProgress: (c) => progress.push(c.fetched) })).rejects.toMatchObject({
        cause: { message: expect.stringContaining("disk full") },
      });
    } finally {
      await database.db.execute(sql.raw(`drop trigger ${trigger} on source_records`));
      await database.db.execute(sql.raw(`drop function ${trigger}()`));
    }
    const [failed] = await listSyncRuns(database.db, a.id);
    expect(failed).toMatchObject({ status: "failed", counts: { fetched: 2 } });
    expect(progress).toEqual([2]);
    const kept = await listSourceRecords(database.db, a.id);
    expect(kept.map((r) => r.recordId)).toEqual(["id-1", "id-2"]);
    expect((await getSourceByName(database.db, a.name))!.cursor).toEqual({ offset: 2 });
    tracker.pagesServed = 0;
    await a.sync();
    expect(tracker.pagesServed).toBe(2);
    const b = await source(tracker);
    await b.sync({ full: true });
    expect(await store(database.db, a.teamKey)).toEqual(await store(database.db, b.teamKey));
  });

  it("follows a status renamed under its id, keeps a status gone from the list with a proposed category, and re-keys a moved item", async () => {
    const tracker = new FakeTracker();
    seed(tracker);
    tracker.put(item(7, "2026-03-06T10:00:00Z", [["2026-02-05T09:00:00Z", "1"], ["2026-02-08T09:00:00Z", "99"]]));
    const a = await source(tracker);
    const first = await a.sync();
    expect(first.reasons).toMatchObject({ 'status "Status 99" (99) has no category from the tracker and is no longer in its status list: in_progress proposed, review the mapping': 1 });
    expect((await store(database.db, a.teamKey)).workflow_digest).toBe("To Do:todo,In Progress:in_progress,Status 99:in_progress,Done:done");

    tracker.statuses[1] = { id: "3", name: "Doing", suggested: "in_progress" };
    // SP-5 moves to another project in scope: same record, new key.
    tracker.put({ ...item(5, "2026-03-12T10:00:00Z", [["2026-02-05T09:00:00Z", "1"], ["2026-02-07T09:00:00Z", "3"]]), key: "OPS-5" });
    await a.sync();
    const after = await store(database.db, a.teamKey);
    expect(after.workflow_digest).toBe("To Do:todo,Doing:in_progress,Status 99:in_progress,Done:done");
    expect(after.item_digest).toContain("OPS-5:");
    expect(after.item_digest).not.toContain("SP-5:");
    expect(after.items).toBe(6);
  });
});
