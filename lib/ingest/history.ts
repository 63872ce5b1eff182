// Stores a work-history document: validated item by item, written in one transaction, idempotent.
import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { reattachRoadblockBlocks } from "../db/queries/roadblocks";
import { copyWriter, CopyRows, type CopyColumn, type CopyWriter } from "../db/copy";
import { pgArray } from "../db/sql-array";
import { milestones, teams, workflowStatuses, type StatusCategory } from "../db/schema";
import { AppError, detailsFromZod, type ErrorDetail } from "../errors";
import { deriveTransitionFacts, type TransitionFact } from "../metrics/compute/item-facts";
import { workflowOf, type Workflow } from "../metrics/compute/workflow";
import { HistoryHeaderInput, WorkItemInput, type HistoryHeader } from "./history-schema";
import { finishImportRun, startImportRun } from "./runs";
import { refreshBlockedFacts } from "./blocked-facts";
import { DayFactsUpdate } from "./day-facts";
import { describe, type HistorySource } from "./source";

/** Items written per statement: large enough to amortise round trips, small enough to stream. */
const BATCH_SIZE = 1_000;
/** Batches read ahead of the one being written. */
const MAX_QUEUED = 8;
/** Stop collecting problems after this many; the first ones are what the user fixes first. */
const MAX_PROBLEMS = 100;

export interface HistoryImportSummary {
  runId: number;
  team: string;
  counts: {
    items: number;
    created: number;
    updated: number;
    unchanged: number;
    transitions: number;
    blocks: number;
    milestones: number;
    rederived: number;
    skipped: number;
  };
  skipped: Record<string, number>;
}

interface PreparedItem {
  key: string;
  title: string;
  type: string;
  createdAt: Date;
  milestoneKey: string | null;
  url: string | null;
  hash: string;
  facts: TransitionFact[];
  blocks: { start: Date; end: Date | null; reason: string | null }[];
}

/** Imports a work-history source; on any problem nothing is stored and an AppError lists them. */
export async function importHistory(db: Db, source: HistorySource): Promise<HistoryImportSummary> {
  const headerResult = HistoryHeaderInput.safeParse(source.header);
  const teamKey = headerResult.success ? headerResult.data.team.key : undefined;
  const runId = await startImportRun(db, "history", source.name, teamKey);
  try {
    if (!headerResult.success) {
      const details = detailsFromZod(headerResult.error, source.name);
      throw new AppError("IMPORT_INVALID", describe(details), details);
    }
    const summary = await db.transaction((tx) => storeHistory(tx as unknown as Db, copyWriter(db, tx as unknown as Db), source, headerResult.data, runId));
    // Fresh statistics before the next query: PGlite has no autovacuum at all, and on Postgres a
    // large import would otherwise give the first dashboards after it poor plans.
    if (summary.counts.transitions > 0) await db.execute(sql`analyze work_items, transitions, blocks`);
    await finishImportRun(db, runId, { status: "succeeded", counts: summary.counts });
    return summary;
  } catch (error) {
    const message = error instanceof AppError ? error.message : `internal error: ${(error as Error).message}`;
    await finishImportRun(db, runId, { status: "failed", error: message });
    throw error;
  }
}

/** `copy` is set on a Postgres server: transitions and blocks then go in with COPY, in `tx` too. */
async function storeHistory(tx: Db, copy: CopyWriter | null, source: HistorySource, header: HistoryHeader, runId: number): Promise<HistoryImportSummary> {
  const problems: ErrorDetail[] = [];
  const problem = (where: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ where: `${source.name}: ${where}`, message });
  };

  const teamId = await upsertTeam(tx, header);
  const dayFacts = await DayFactsUpdate.begin(tx, teamId, header.team.timezone);
  const workflow = workflowOf(header.workflow.map((s) => ({ name: s.status, category: s.category, blocked: s.blocked, discarded: s.discarded })));
  const workflowChanged = await replaceWorkflow(tx, teamId, header);
  const knownMilestones = await upsertMilestones(tx, teamId, header);

  const counts = { items: 0, created: 0, updated: 0, unchanged: 0, transitions: 0, blocks: 0, milestones: header.milestones.length, rederived: 0, skipped: 0 };
  const seenKeys = new Map<string, string>();
  const unmapped = new Map<string, string[]>();
  const written = new Set<number>();
  let batch: PreparedItem[] = [];
  const writer = new RowWriter(tx, copy, teamId);

  // Batches are written in order while the next ones are read and validated: the database and
  // the parser work at the same time. The parser may run MAX_QUEUED batches ahead (a COPY takes
  // a while), which bounds what is in memory.
  const queue: Promise<void>[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const items = batch;
    batch = [];
    if (items.length === 0 || problems.length > 0) return;
    writing = writing
      .then(() => storeItems(tx, writer, dayFacts, teamId, items))
      .then((stored) => {
        counts.created += stored.created;
        counts.updated += stored.updated;
        counts.unchanged += items.length - stored.created - stored.updated;
        counts.transitions += stored.transitions;
        counts.blocks += stored.blocks;
        for (const id of stored.ids) written.add(id);
      });
    // Surface a failed write at the next await, never as an unhandled rejection.
    writing.catch(() => {});
    queue.push(writing);
    if (queue.length > MAX_QUEUED) await queue.shift();
  };

  for await (const raw of source.items) {
    if (raw.error !== undefined) {
      problem(raw.where, raw.error);
      continue;
    }
    const parsed = WorkItemInput.safeParse(raw.value);
    if (!parsed.success) {
      for (const d of detailsFromZod(parsed.error, raw.where)) problem(d.where, d.message);
      continue;
    }
    const item = parsed.data;
    counts.items++;
    const firstSeen = seenKeys.get(item.key);
    if (firstSeen) {
      problem(`${raw.where}.key`, `item key "${item.key}" appears twice (first at ${firstSeen})`);
      continue;
    }
    seenKeys.set(item.key, raw.where);
    const missing = item.transitions.filter((t) => !workflow.has(t.to));
    if (missing.length > 0) {
      for (const t of missing) {
        const users = unmapped.get(t.to) ?? [];
        if (!users.includes(item.key)) users.push(item.key);
        unmapped.set(t.to, users);
      }
      continue;
    }
    if (item.milestone && !knownMilestones.has(item.milestone)) {
      problem(`${raw.where}.milestone`, `milestone "${item.milestone}" is not defined in the document or for team "${header.team.key}"`);
      continue;
    }
    if (problems.length > 0 || unmapped.size > 0) continue;
    batch.push(prepareItem(item, workflow));
    if (batch.length >= BATCH_SIZE) await flush();
  }
  reportUnmapped(unmapped, problem);
  await flush();
  await writing;
  if (problems.length === 0) await writer.flush();

  if (problems.length === 0 && workflowChanged) {
    counts.rederived = await rederiveTeam(tx, writer, teamId, workflow, written, problem);
    dayFacts.rebuildAll();
  }
  if (problems.length > 0) throw new AppError("IMPORT_INVALID", describe(problems), problems);
  await dayFacts.finish(tx);
  // An item that left the store and is back under its key gets its roadblocks' blocks back.
  const reattached = await reattachRoadblockBlocks(tx, teamId);
  // A new workflow may say another status is blocked: every item's blocked time is recomputed.
  await refreshBlockedFacts(tx, teamId, workflowChanged ? null : [...written, ...reattached], copy);

  const skipped = source.skipped?.() ?? {};
  counts.skipped = Object.values(skipped).reduce((a, b) => a + b, 0);
  return { runId, team: header.team.key, counts, skipped };
}

function reportUnmapped(unmapped: Map<string, string[]>, problem: (where: string, message: string) => void) {
  for (const [status, keys] of unmapped) {
    const shown = keys.slice(0, 10).join(", ") + (keys.length > 10 ? ` and ${keys.length - 10} more` : "");
    problem("workflow", `status "${status}" is not in the workflow; used by ${shown}`);
  }
}

function prepareItem(item: WorkItemInput, workflow: Workflow): PreparedItem {
  const facts = deriveTransitionFacts(item.transitions, workflow);
  const blocks = item.blocks.map((b) => ({ start: b.start, end: b.end ?? null, reason: b.reason ?? null }));
  const hash = createHash("sha1")
    .update(
      JSON.stringify([
        item.title,
        item.type,
        item.created_at.getTime(),
        item.milestone ?? null,
        item.url ?? null,
        facts.map((f) => [f.at.getTime(), f.status, f.fromStatus]),
        blocks.map((b) => [b.start.getTime(), b.end?.getTime() ?? null, b.reason]),
      ]),
    )
    .digest("base64");
  return {
    key: item.key,
    title: item.title,
    type: item.type,
    createdAt: item.created_at,
    milestoneKey: item.milestone ?? null,
    url: item.url ?? null,
    hash,
    facts,
    blocks,
  };
}

async function upsertTeam(tx: Db, header: HistoryHeader): Promise<number> {
  const t = header.team;
  const [row] = await tx
    .insert(teams)
    .values({ key: t.key, name: t.name ?? t.key, timezone: t.timezone, wipLimit: t.wip_limit ?? null })
    .onConflictDoUpdate({
      target: teams.key,
      set: {
        name: t.name ?? sql`${teams.name}`,
        timezone: t.timezone,
        wipLimit: t.wip_limit === undefined ? sql`${teams.wipLimit}` : t.wip_limit,
      },
    })
    .returning({ id: teams.id });
  return row!.id;
}

/** Replaces the team's workflow; true when the mapping or the order of any status changed. */
async function replaceWorkflow(tx: Db, teamId: number, header: HistoryHeader): Promise<boolean> {
  const before = await tx.select().from(workflowStatuses).where(eq(workflowStatuses.teamId, teamId));
  // The order matters too: a move to an earlier status is a quality fact of each transition.
  const mapping = (s: { name: string; position: number; category: string; blocked: boolean; discarded: boolean }) =>
    `${s.name}\u0000${s.position}\u0000${s.category}\u0000${s.blocked}\u0000${s.discarded}`;
  const next = header.workflow.map((s, position) => ({
    teamId,
    name: s.status,
    position,
    category: s.category,
    blocked: s.blocked,
    discarded: s.discarded,
    wipLimit: s.wip_limit ?? null,
  }));
  const changed = before.length > 0 && [...before.map(mapping)].sort().join("\n") !== [...next.map(mapping)].sort().join("\n");
  await tx.delete(workflowStatuses).where(eq(workflowStatuses.teamId, teamId));
  await tx.insert(workflowStatuses).values(next);
  return changed;
}

async function upsertMilestones(tx: Db, teamId: number, header: HistoryHeader): Promise<Set<string>> {
  for (const [position, m] of header.milestones.entries()) {
    await tx
      .insert(milestones)
      .values({ teamId, key: m.key, name: m.name ?? m.key, position, dueOn: m.due_on ?? null, shippedAt: m.shipped_at ?? null })
      .onConflictDoUpdate({
        target: [milestones.teamId, milestones.key],
        set: { name: m.name ?? m.key, position, dueOn: m.due_on ?? null, shippedAt: m.shipped_at ?? null },
      });
  }
  const rows = await tx.select({ key: milestones.key }).from(milestones).where(and(eq(milestones.teamId, teamId)));
  return new Set(rows.map((r) => r.key));
}

/** Upserts a batch of items; only new or changed items get their transitions and blocks rewritten. */
async function storeItems(tx: Db, writer: RowWriter, dayFacts: DayFactsUpdate, teamId: number, items: PreparedItem[]) {
  const upsert = queryRows<{ id: number; key: string; inserted: boolean; old_type: string | null }>(
    tx,
    sql`insert into work_items (team_id, key, title, type, created_at, milestone_key, url, content_hash, first_transition_at)
        select ${teamId}, x.key, x.title, x.type, x.created_at, x.milestone_key, x.url, x.content_hash, x.first_transition_at
        from unnest(
          ${pgArray(items.map((i) => i.key))}::text[], ${pgArray(items.map((i) => i.title))}::text[], ${pgArray(items.map((i) => i.type))}::text[],
          ${pgArray(items.map((i) => i.createdAt.toISOString()))}::timestamptz[], ${pgArray(items.map((i) => i.milestoneKey))}::text[],
          ${pgArray(items.map((i) => i.url))}::text[], ${pgArray(items.map((i) => i.hash))}::text[],
          ${pgArray(items.map((i) => i.facts[0]?.at.toISOString() ?? null))}::timestamptz[]
        ) as x(key, title, type, created_at, milestone_key, url, content_hash, first_transition_at)
        on conflict (team_id, key) do update set
          title = excluded.title, type = excluded.type, created_at = excluded.created_at,
          milestone_key = excluded.milestone_key, url = excluded.url, content_hash = excluded.content_hash,
          first_transition_at = excluded.first_transition_at
        where work_items.content_hash is distinct from excluded.content_hash
        returning id::float8 as id, key, (xmax = 0) as inserted,
          -- The statement's own update is invisible to its subqueries: this is the type before.
          ${dayFacts.isIncremental ? sql`(select o.type from work_items o where o.id = work_items.id)` : sql`null::text`} as old_type`,
  );
  // The earlier batches' transitions are encoded while the server upserts this one.
  upsert.catch(() => {});
  writer.encode();
  const changed = await upsert;
  if (changed.length === 0) return { ids: [] as number[], created: 0, updated: 0, transitions: 0, blocks: 0 };
  const idByKey = new Map(changed.map((c) => [c.key, Number(c.id)]));
  const ids = [...idByKey.values()];
  const updatedIds = changed.filter((c) => !c.inserted).map((c) => Number(c.id));
  if (updatedIds.length > 0) {
    const list = `{${updatedIds.join(",")}}`;
    const replaced = await queryRows<{ item_id: number; seq: number; at: Date; until: Date | null; status: string; category: StatusCategory }>(
      tx,
      sql`delete from transitions where item_id = any(${list}::bigint[])
          returning item_id::float8 as item_id, seq, ${dayFacts.isIncremental ? sql`at, until, status, category` : sql`null as at, null as until, null as status, null as category`}`,
    );
    if (dayFacts.isIncremental) takeAwayReplaced(dayFacts, changed, replaced);
    // A roadblock reported in the app is not the document's: its block stays.
    await tx.execute(sql`delete from blocks where item_id = any(${list}::bigint[]) and roadblock_id is null`);
  }
  const stored = items.filter((i) => idByKey.has(i.key)).map((i) => ({ id: idByKey.get(i.key)!, item: i }));
  for (const { item } of stored) dayFacts.added(item.type, item.facts);
  const transitions = await writer.addFacts(stored.map(({ id, item }) => ({ id, facts: item.facts })));
  const blocks = await writer.addBlocks(stored.flatMap(({ id, item }) => item.blocks.map((b) => ({ itemId: id, ...b }))));
  return {
    ids,
    created: changed.filter((c) => c.inserted).length,
    updated: updatedIds.length,
    transitions,
    blocks,
  };
}

/** What the replaced items contributed to the day-level facts, taken away before their new rows add theirs. */
function takeAwayReplaced(
  dayFacts: DayFactsUpdate,
  changed: { id: number; old_type: string | null }[],
  replaced: { item_id: number; seq: number; at: Date; until: Date | null; status: string; category: StatusCategory }[],
) {
  const typeOf = new Map(changed.map((c) => [Number(c.id), c.old_type]));
  const byItem = new Map<number, { seq: number; at: Date; until: Date | null; status: string; category: StatusCategory }[]>();
  for (const r of replaced) {
    const id = Number(r.item_id);
    const list = byItem.get(id) ?? [];
    list.push({ seq: r.seq, at: new Date(r.at), until: r.until ? new Date(r.until) : null, status: r.status, category: r.category });
    byItem.set(id, list);
  }
  for (const [id, rows] of byItem) {
    const type = typeOf.get(id);
    if (type === null || type === undefined) throw new Error(`the replaced item ${id} has no earlier type`);
    dayFacts.removed(type, rows.sort((a, b) => a.seq - b.seq));
  }
}

interface BlockRow {
  itemId: number;
  start: Date;
  end: Date | null;
  reason: string | null;
}

/** A COPY carries at most this many rows; a remainder smaller than the minimum goes in with INSERT. */
const COPY_MAX_ROWS = 100_000;
const COPY_MIN_ROWS = 5_000;
/** The columns of a transitions COPY (also the scale bench's, bench/scale.ts). */
export const TRANSITION_COLUMNS: CopyColumn[] = [
  { name: "item_id", type: "int8" },
  { name: "seq", type: "int4" },
  { name: "team_id", type: "int4" },
  { name: "at", type: "timestamptz" },
  { name: "until", type: "timestamptz" },
  { name: "from_status", type: "text" },
  { name: "status", type: "text" },
  { name: "category", type: "text" },
  { name: "blocked", type: "bool" },
  { name: "discarded", type: "bool" },
  { name: "started_at", type: "timestamptz" },
  { name: "finished_at", type: "timestamptz" },
  { name: "reopened", type: "bool" },
  { name: "moved_backwards", type: "bool" },
];
export const BLOCK_COLUMNS: CopyColumn[] = [
  { name: "item_id", type: "int8" },
  { name: "team_id", type: "int4" },
  { name: "start", type: "timestamptz" },
  { name: "end", type: "timestamptz" },
  { name: "reason", type: "text" },
];

/**
 * Writes the transitions and blocks of stored items. With COPY (Postgres) rows wait until there
 * are many: every COPY stalls for a delayed TCP acknowledgement (~40 ms) of its end, however few
 * rows it carries. Callers flush() before reading them back.
 */
class RowWriter {
  private facts: { id: number; facts: TransitionFact[] }[] = [];
  private factCount = 0;
  private encoded: CopyRows | null = null;
  private encodedItems = 0;
  private blocks: BlockRow[] = [];

  constructor(
    private readonly tx: Db,
    private readonly copy: CopyWriter | null,
    private readonly teamId: number,
  ) {}

  async addFacts(items: { id: number; facts: TransitionFact[] }[]): Promise<number> {
    const count = items.reduce((n, i) => n + i.facts.length, 0);
    if (!this.copy) return insertFacts(this.tx, this.teamId, items);
    for (const item of items) this.facts.push(item);
    this.factCount += count;
    if (this.factCount >= COPY_MAX_ROWS) await this.flushFacts();
    return count;
  }

  async addBlocks(rows: BlockRow[]): Promise<number> {
    if (!this.copy) return insertBlocks(this.tx, this.teamId, rows);
    for (const row of rows) this.blocks.push(row);
    if (this.blocks.length >= COPY_MAX_ROWS) await this.flushBlocks();
    return rows.length;
  }

  /** Encodes the waiting transitions for their COPY: called while a statement keeps the server busy. */
  encode(): void {
    if (!this.copy) return;
    const out = (this.encoded ??= new CopyRows(TRANSITION_COLUMNS));
    for (; this.encodedItems < this.facts.length; this.encodedItems++) {
      const { id, facts } = this.facts[this.encodedItems]!;
      for (const f of facts) out.add([id, f.seq, this.teamId, f.at, f.until, f.fromStatus, f.status, f.category, f.blocked, f.discarded, f.startedAt, f.finishedAt, f.reopened, f.movedBackwards]);
    }
  }

  async flush(): Promise<void> {
    await this.flushFacts();
    await this.flushBlocks();
  }

  private async flushFacts() {
    const items = this.facts;
    const count = this.factCount;
    this.facts = [];
    this.factCount = 0;
    if (count < COPY_MIN_ROWS || !this.copy) {
      this.encoded = null;
      this.encodedItems = 0;
      await insertFacts(this.tx, this.teamId, items);
      return;
    }
    this.facts = items;
    this.encode();
    const rows = this.encoded!;
    this.facts = [];
    this.encoded = null;
    this.encodedItems = 0;
    await this.copy("transitions", rows);
  }

  private async flushBlocks() {
    const blocks = this.blocks;
    this.blocks = [];
    if (blocks.length < COPY_MIN_ROWS || !this.copy) {
      await insertBlocks(this.tx, this.teamId, blocks);
      return;
    }
    const rows = new CopyRows(BLOCK_COLUMNS);
    for (const b of blocks) rows.add([b.itemId, this.teamId, b.start, b.end, b.reason]);
    await this.copy("blocks", rows);
  }
}

/** until, started_at and finished_at are the very Date objects of other transitions: format each once. */
function instantText(): (d: Date | null) => string | null {
  const formatted = new Map<Date, string>();
  return (d) => {
    if (!d) return null;
    let text = formatted.get(d);
    if (text === undefined) formatted.set(d, (text = d.toISOString()));
    return text;
  };
}

async function insertFacts(tx: Db, teamId: number, items: { id: number; facts: TransitionFact[] }[]): Promise<number> {
  const rows = items.flatMap(({ id, facts }) => facts.map((f) => ({ id, f })));
  if (rows.length === 0) return 0;
  const instant = instantText();
  // Column arrays through unnest(): a third faster in Postgres than json_to_recordset.
  await tx.execute(
    sql`insert into transitions (item_id, seq, team_id, at, until, from_status, status, category, blocked, discarded, started_at, finished_at, reopened, moved_backwards)
        select x.item_id, x.seq, ${teamId}, x.at, x.until, x.from_status, x.status, x.category, x.blocked, x.discarded, x.started_at, x.finished_at, x.reopened, x.moved_backwards
        from unnest(
          ${pgArray(rows.map((r) => r.id))}::bigint[], ${pgArray(rows.map((r) => r.f.seq))}::int[],
          ${pgArray(rows.map((r) => instant(r.f.at)))}::timestamptz[], ${pgArray(rows.map((r) => instant(r.f.until)))}::timestamptz[],
          ${pgArray(rows.map((r) => r.f.fromStatus))}::text[], ${pgArray(rows.map((r) => r.f.status))}::text[],
          ${pgArray(rows.map((r) => r.f.category))}::status_category[], ${pgArray(rows.map((r) => r.f.blocked))}::boolean[],
          ${pgArray(rows.map((r) => r.f.discarded))}::boolean[], ${pgArray(rows.map((r) => instant(r.f.startedAt)))}::timestamptz[],
          ${pgArray(rows.map((r) => instant(r.f.finishedAt)))}::timestamptz[], ${pgArray(rows.map((r) => r.f.reopened))}::boolean[],
          ${pgArray(rows.map((r) => r.f.movedBackwards))}::boolean[]
        ) as x(item_id, seq, at, until, from_status, status, category, blocked, discarded, started_at, finished_at, reopened, moved_backwards)`,
  );
  return rows.length;
}

async function insertBlocks(tx: Db, teamId: number, blocks: BlockRow[]): Promise<number> {
  if (blocks.length === 0) return 0;
  const rows = blocks.map((b) => ({ item_id: b.itemId, start: b.start.toISOString(), end: b.end?.toISOString() ?? null, reason: b.reason }));
  await tx.execute(
    sql`insert into blocks (item_id, team_id, start, "end", reason)
        select x.item_id, ${teamId}, x.start, x."end", x.reason
        from json_to_recordset(${JSON.stringify(rows)}::json) as x(item_id bigint, start timestamptz, "end" timestamptz, reason text)`,
  );
  return blocks.length;
}

/**
 * A new workflow changes what earlier items' transitions mean: derive their facts again.
 * Items written by this import already used the new workflow.
 */
async function rederiveTeam(
  tx: Db,
  writer: RowWriter,
  teamId: number,
  workflow: Workflow,
  written: Set<number>,
  problem: (where: string, message: string) => void,
): Promise<number> {
  let after = 0;
  let count = 0;
  const unmapped = new Map<string, string[]>();
  for (;;) {
    const rows = await queryRows<{ item_id: number; key: string; seq: number; at: Date; from_status: string | null; status: string }>(
      tx,
      sql`with page as (
            select id, key from work_items where team_id = ${teamId} and id > ${after} order by id limit ${BATCH_SIZE}
          )
          select page.id::float8 as item_id, page.key, t.seq, t.at, t.from_status, t.status
          from page join transitions t on t.item_id = page.id
          order by page.id, t.seq`,
    );
    const lastPage = await queryRows<{ max: number | null }>(
      tx,
      sql`select max(id)::float8 as max from (select id from work_items where team_id = ${teamId} and id > ${after} order by id limit ${BATCH_SIZE}) p`,
    );
    const maxId = lastPage[0]?.max;
    if (maxId === null || maxId === undefined) break;
    after = Number(maxId);

    const byItem = new Map<number, { key: string; transitions: { at: Date; to: string; from: string | null }[] }>();
    for (const r of rows) {
      const id = Number(r.item_id);
      if (written.has(id)) continue;
      let entry = byItem.get(id);
      if (!entry) byItem.set(id, (entry = { key: r.key, transitions: [] }));
      entry.transitions.push({ at: new Date(r.at), to: r.status, from: r.from_status });
    }
    const redo: { id: number; facts: TransitionFact[] }[] = [];
    for (const [id, { key, transitions }] of byItem) {
      const missing = transitions.filter((t) => !workflow.has(t.to));
      if (missing.length > 0) {
        for (const t of missing) unmapped.set(t.to, [...new Set([...(unmapped.get(t.to) ?? []), key])]);
        continue;
      }
      redo.push({ id, facts: deriveTransitionFacts(transitions, workflow) });
    }
    if (unmapped.size === 0 && redo.length > 0) {
      await tx.execute(sql`delete from transitions where item_id = any(${`{${redo.map((r) => r.id).join(",")}}`}::bigint[])`);
      await writer.addFacts(redo);
      count += redo.length;
    }
  }
  await writer.flush();
  for (const [status, keys] of unmapped) {
    const shown = keys.slice(0, 10).join(", ") + (keys.length > 10 ? ` and ${keys.length - 10} more` : "");
    problem("workflow", `status "${status}" is missing from the new workflow but stored items use it: ${shown}`);
  }
  return count;
}
