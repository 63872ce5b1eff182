// Stores a work-history document: validated item by item, written in one transaction, idempotent.
import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { pgArray } from "../db/sql-array";
import { milestones, teams, workflowStatuses } from "../db/schema";
import { AppError, detailsFromZod, type ErrorDetail } from "../errors";
import { deriveTransitionFacts, type TransitionFact } from "../metrics/compute/item-facts";
import { workflowOf, type Workflow } from "../metrics/compute/workflow";
import { HistoryHeaderInput, WorkItemInput, type HistoryHeader } from "./history-schema";
import { finishImportRun, startImportRun } from "./runs";
import { describe, type HistorySource } from "./source";

/** Items written per statement: large enough to amortise round trips, small enough to stream. */
const BATCH_SIZE = 1_000;
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
    const summary = await db.transaction((tx) => storeHistory(tx as unknown as Db, source, headerResult.data, runId));
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

async function storeHistory(tx: Db, source: HistorySource, header: HistoryHeader, runId: number): Promise<HistoryImportSummary> {
  const problems: ErrorDetail[] = [];
  const problem = (where: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ where: `${source.name}: ${where}`, message });
  };

  const teamId = await upsertTeam(tx, header);
  const workflow = workflowOf(header.workflow.map((s) => ({ name: s.status, category: s.category, blocked: s.blocked, discarded: s.discarded })));
  const workflowChanged = await replaceWorkflow(tx, teamId, header);
  const knownMilestones = await upsertMilestones(tx, teamId, header);

  const counts = { items: 0, created: 0, updated: 0, unchanged: 0, transitions: 0, blocks: 0, milestones: header.milestones.length, rederived: 0, skipped: 0 };
  const seenKeys = new Map<string, string>();
  const unmapped = new Map<string, string[]>();
  const written = new Set<number>();
  let batch: PreparedItem[] = [];

  // One batch is written while the next is read and validated: the database and the parser
  // work at the same time, and at most two batches are in memory.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const items = batch;
    batch = [];
    await writing;
    if (items.length === 0 || problems.length > 0) return;
    writing = storeItems(tx, teamId, items).then((stored) => {
      counts.created += stored.created;
      counts.updated += stored.updated;
      counts.unchanged += items.length - stored.created - stored.updated;
      counts.transitions += stored.transitions;
      counts.blocks += stored.blocks;
      for (const id of stored.ids) written.add(id);
    });
    // Surface a failed write at the next await, never as an unhandled rejection.
    writing.catch(() => {});
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

  if (problems.length === 0 && workflowChanged) {
    counts.rederived = await rederiveTeam(tx, teamId, workflow, written, problem);
  }
  if (problems.length > 0) throw new AppError("IMPORT_INVALID", describe(problems), problems);

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

/** Replaces the team's workflow; true when the mapping of any status changed. */
async function replaceWorkflow(tx: Db, teamId: number, header: HistoryHeader): Promise<boolean> {
  const before = await tx.select().from(workflowStatuses).where(eq(workflowStatuses.teamId, teamId));
  const mapping = (s: { name: string; category: string; blocked: boolean; discarded: boolean }) => `${s.name}\u0000${s.category}\u0000${s.blocked}\u0000${s.discarded}`;
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
async function storeItems(tx: Db, teamId: number, items: PreparedItem[]) {
  const changed = await queryRows<{ id: number; key: string; inserted: boolean }>(
    tx,
    sql`insert into work_items (team_id, key, title, type, created_at, milestone_key, url, content_hash)
        select ${teamId}, x.key, x.title, x.type, x.created_at, x.milestone_key, x.url, x.content_hash
        from unnest(
          ${pgArray(items.map((i) => i.key))}::text[], ${pgArray(items.map((i) => i.title))}::text[], ${pgArray(items.map((i) => i.type))}::text[],
          ${pgArray(items.map((i) => i.createdAt.toISOString()))}::timestamptz[], ${pgArray(items.map((i) => i.milestoneKey))}::text[],
          ${pgArray(items.map((i) => i.url))}::text[], ${pgArray(items.map((i) => i.hash))}::text[]
        ) as x(key, title, type, created_at, milestone_key, url, content_hash)
        on conflict (team_id, key) do update set
          title = excluded.title, type = excluded.type, created_at = excluded.created_at,
          milestone_key = excluded.milestone_key, url = excluded.url, content_hash = excluded.content_hash
        where work_items.content_hash is distinct from excluded.content_hash
        returning id::float8 as id, key, (xmax = 0) as inserted`,
  );
  if (changed.length === 0) return { ids: [] as number[], created: 0, updated: 0, transitions: 0, blocks: 0 };
  const idByKey = new Map(changed.map((c) => [c.key, Number(c.id)]));
  const ids = [...idByKey.values()];
  const updatedIds = changed.filter((c) => !c.inserted).map((c) => Number(c.id));
  if (updatedIds.length > 0) {
    const list = `{${updatedIds.join(",")}}`;
    await tx.execute(sql`delete from transitions where item_id = any(${list}::bigint[])`);
    await tx.execute(sql`delete from blocks where item_id = any(${list}::bigint[])`);
  }
  const stored = items.filter((i) => idByKey.has(i.key)).map((i) => ({ id: idByKey.get(i.key)!, item: i }));
  const transitions = await insertFacts(
    tx,
    teamId,
    stored.map(({ id, item }) => ({ id, facts: item.facts })),
  );
  const blockRows = stored.flatMap(({ id, item }) =>
    item.blocks.map((b) => ({ item_id: id, start: b.start.toISOString(), end: b.end?.toISOString() ?? null, reason: b.reason })),
  );
  if (blockRows.length > 0) {
    await tx.execute(
      sql`insert into blocks (item_id, team_id, start, "end", reason)
          select x.item_id, ${teamId}, x.start, x."end", x.reason
          from json_to_recordset(${JSON.stringify(blockRows)}::json) as x(item_id bigint, start timestamptz, "end" timestamptz, reason text)`,
    );
  }
  return {
    ids,
    created: changed.filter((c) => c.inserted).length,
    updated: updatedIds.length,
    transitions,
    blocks: blockRows.length,
  };
}

async function insertFacts(tx: Db, teamId: number, items: { id: number; facts: TransitionFact[] }[]): Promise<number> {
  const rows = items.flatMap(({ id, facts }) => facts.map((f) => ({ id, f })));
  if (rows.length === 0) return 0;
  // until, started_at and finished_at are the very Date objects of other transitions: format each once.
  const formatted = new Map<Date, string>();
  const instant = (d: Date | null) => {
    if (!d) return null;
    let text = formatted.get(d);
    if (text === undefined) formatted.set(d, (text = d.toISOString()));
    return text;
  };
  // Column arrays through unnest(): a third faster in Postgres than json_to_recordset.
  await tx.execute(
    sql`insert into transitions (item_id, seq, team_id, at, until, from_status, status, category, blocked, discarded, started_at, finished_at)
        select x.item_id, x.seq, ${teamId}, x.at, x.until, x.from_status, x.status, x.category, x.blocked, x.discarded, x.started_at, x.finished_at
        from unnest(
          ${pgArray(rows.map((r) => r.id))}::bigint[], ${pgArray(rows.map((r) => r.f.seq))}::int[],
          ${pgArray(rows.map((r) => instant(r.f.at)))}::timestamptz[], ${pgArray(rows.map((r) => instant(r.f.until)))}::timestamptz[],
          ${pgArray(rows.map((r) => r.f.fromStatus))}::text[], ${pgArray(rows.map((r) => r.f.status))}::text[],
          ${pgArray(rows.map((r) => r.f.category))}::status_category[], ${pgArray(rows.map((r) => r.f.blocked))}::boolean[],
          ${pgArray(rows.map((r) => r.f.discarded))}::boolean[], ${pgArray(rows.map((r) => instant(r.f.startedAt)))}::timestamptz[],
          ${pgArray(rows.map((r) => instant(r.f.finishedAt)))}::timestamptz[]
        ) as x(item_id, seq, at, until, from_status, status, category, blocked, discarded, started_at, finished_at)`,
  );
  return rows.length;
}

/**
 * A new workflow changes what earlier items' transitions mean: derive their facts again.
 * Items written by this import already used the new workflow.
 */
async function rederiveTeam(
  tx: Db,
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
      await insertFacts(tx, teamId, redo);
      count += redo.length;
    }
  }
  for (const [status, keys] of unmapped) {
    const shown = keys.slice(0, 10).join(", ") + (keys.length > 10 ? ` and ${keys.length - 10} more` : "");
    problem("workflow", `status "${status}" is missing from the new workflow but stored items use it: ${shown}`);
  }
  return count;
}
