// Each item's blocked facts (item_blocked_facts): written by imports and roadblock changes (see
// lib/ingest/blocked-facts.ts), read by the blockers metric for items unchanged since as_of.
import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { CopyRows, type CopyColumn, type CopyWriter } from "../copy";
import { pgArray } from "../sql-array";
import type { StatusCategory } from "../schema";
import type { BlockedFacts } from "../../metrics/compute/blocked-time";
import { asOfParam, epochMs, type FlowQuery } from "./flow";

/** An item's current state and every block and blocked-status spell it has, earliest first. */
export interface ItemBlockHistory {
  itemId: number;
  category: StatusCategory;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Its latest transition's instant. */
  lastAt: Date;
  spans: { start: Date; end: Date | null; reason: string | null }[];
}

/**
 * The histories of the team's items: of all of them (read through the team's indexes), or of
 * `itemIds` (looked up one by one: by the ids alone the planner would combine them with the
 * team's partial indexes and walk far more rows). Ids ascending.
 */
export async function listItemBlockHistories(db: Db, teamId: number, itemIds: readonly number[] | null): Promise<ItemBlockHistory[]> {
  if (itemIds?.length === 0) return [];
  const ids = itemIds ? sql`unnest(${`{${itemIds.join(",")}}`}::bigint[]) as x(id)` : null;
  const states = await queryRows<{ item_id: number; category: StatusCategory; started_ms: number | null; finished_ms: number | null; at_ms: number }>(
    db,
    ids
      ? sql`select t.item_id::float8 as item_id, t.category, ${epochMs(sql`t.started_at`)} as started_ms, ${epochMs(sql`t.finished_at`)} as finished_ms, ${epochMs(sql`t.at`)} as at_ms
            from ${ids} cross join lateral (select * from transitions t where t.item_id = x.id and t.until is null offset 0) t`
      : sql`select t.item_id::float8 as item_id, t.category, ${epochMs(sql`t.started_at`)} as started_ms, ${epochMs(sql`t.finished_at`)} as finished_ms, ${epochMs(sql`t.at`)} as at_ms
            from transitions t where t.team_id = ${teamId} and coalesce(t.until, 'infinity'::timestamptz) >= 'infinity'::timestamptz`,
  );
  // Earliest first; at one instant, blocks before blocked statuses, each in stored order (as
  // listBlockedItems gives them).
  const spans = await queryRows<{ item_id: number; start_ms: number; end_ms: number | null; reason: string | null }>(
    db,
    sql`select item_id::float8 as item_id, ${epochMs(sql`start`)} as start_ms, ${epochMs(sql`"end"`)} as end_ms, reason from (
          ${
            ids
              ? sql`select b.item_id, b.start, b."end", b.reason, 0 as src, b.id as ord
                    from ${ids} cross join lateral (select * from blocks b where b.item_id = x.id offset 0) b
                    union all
                    select t.item_id, t.at, t.until, t.status, 1, t.seq
                    from ${ids} cross join lateral (select * from transitions t where t.item_id = x.id and t.blocked and (t.until is null or t.until > t.at) offset 0) t`
              : sql`select item_id, start, "end", reason, 0 as src, id as ord from blocks where team_id = ${teamId}
                    union all
                    select item_id, at, until, status, 1, seq from transitions where team_id = ${teamId} and blocked and (until is null or until > at)`
          }
        ) s order by item_id, start, src, ord`,
  );
  const byItem = new Map<number, ItemBlockHistory["spans"]>();
  for (const s of spans) {
    const list = byItem.get(s.item_id) ?? [];
    list.push({ start: new Date(s.start_ms), end: s.end_ms === null ? null : new Date(s.end_ms), reason: s.reason });
    byItem.set(s.item_id, list);
  }
  // An item with no transitions has no state and no row here: no blocked time at any as_of.
  return states
    .sort((a, b) => a.item_id - b.item_id)
    .map((s) => ({
      itemId: s.item_id,
      category: s.category,
      startedAt: s.started_ms === null ? null : new Date(s.started_ms),
      finishedAt: s.finished_ms === null ? null : new Date(s.finished_ms),
      lastAt: new Date(s.at_ms),
      spans: byItem.get(s.item_id) ?? [],
    }));
}

const FACT_COLUMNS: CopyColumn[] = [
  { name: "item_id", type: "int8" },
  { name: "team_id", type: "int4" },
  { name: "valid_from", type: "timestamptz" },
  { name: "blocked_ms", type: "float8" },
  { name: "open_since", type: "timestamptz" },
  { name: "open_reasons", type: "jsonb" },
  { name: "by_reason", type: "jsonb" },
];

/**
 * Replaces the facts of `itemIds` (all the team's when null) with `facts` (items without blocked
 * time have none); with COPY when the caller's transaction has it (an import's whole team).
 */
export async function replaceBlockedFacts(
  db: Db,
  teamId: number,
  itemIds: readonly number[] | null,
  facts: readonly { itemId: number; facts: BlockedFacts }[],
  copy: CopyWriter | null = null,
): Promise<void> {
  if (itemIds === null) await db.execute(sql`delete from item_blocked_facts where team_id = ${teamId}`);
  else if (itemIds.length > 0) await db.execute(sql`delete from item_blocked_facts where item_id = any(${`{${itemIds.join(",")}}`}::bigint[])`);
  if (facts.length === 0) return;
  if (copy) {
    const rows = new CopyRows(FACT_COLUMNS);
    for (const { itemId, facts: f } of facts) {
      rows.add([itemId, teamId, f.validFrom, f.blockedMs, f.openSince, JSON.stringify(f.openReasons), JSON.stringify(f.byReason)]);
    }
    await copy("item_blocked_facts", rows);
    return;
  }
  await db.execute(
    sql`insert into item_blocked_facts (item_id, team_id, valid_from, blocked_ms, open_since, open_reasons, by_reason)
        select x.item_id, ${teamId}, x.valid_from, x.blocked_ms, x.open_since, x.open_reasons::jsonb, x.by_reason::jsonb
        from unnest(
          ${pgArray(facts.map((f) => f.itemId))}::bigint[], ${pgArray(facts.map((f) => f.facts.validFrom.toISOString()))}::timestamptz[],
          ${pgArray(facts.map((f) => f.facts.blockedMs))}::float8[], ${pgArray(facts.map((f) => f.facts.openSince?.toISOString() ?? null))}::timestamptz[],
          ${pgArray(facts.map((f) => JSON.stringify(f.facts.openReasons)))}::text[], ${pgArray(facts.map((f) => JSON.stringify(f.facts.byReason)))}::text[]
        ) as x(item_id, valid_from, blocked_ms, open_since, open_reasons, by_reason)`,
  );
}

export async function blockedFactsBuilt(db: Db, teamId: number): Promise<boolean> {
  const rows = await queryRows<{ built: boolean }>(db, sql`select exists (select 1 from blocked_facts_teams where team_id = ${teamId}) as built`);
  return rows[0]?.built ?? false;
}

export async function markBlockedFacts(db: Db, teamId: number): Promise<void> {
  await db.execute(sql`insert into blocked_facts_teams (team_id) values (${teamId}) on conflict (team_id) do update set built_at = now()`);
}

/** Teams whose blocked facts are not built. */
export async function listTeamsWithoutBlockedFacts(db: Db): Promise<{ id: number; key: string }[]> {
  return queryRows<{ id: number; key: string }>(
    db,
    sql`select t.id, t.key from teams t where not exists (select 1 from blocked_facts_teams f where f.team_id = t.id) order by t.id`,
  );
}

export interface BlockedFactRow {
  key: string;
  title?: string;
  facts: BlockedFacts;
}

/**
 * The facts of the team's items whose last change is at or before as_of (keys unordered); the
 * open reasons are read only for items still blocked, the per-reason times only with `details`.
 */
export async function listBlockedFacts(db: Db, q: Omit<FlowQuery, "from" | "to">, details = false): Promise<BlockedFactRow[]> {
  const rows = await queryRows<{
    key: string;
    title?: string;
    valid_from_ms: number;
    blocked_ms: number;
    open_ms: number | null;
    open_reasons: string[] | null;
    by_reason?: [string, number, boolean][];
  }>(
    db,
    sql`select i.key, ${details ? sql`i.title, f.by_reason,` : sql``} ${epochMs(sql`f.valid_from`)} as valid_from_ms, f.blocked_ms,
          ${epochMs(sql`f.open_since`)} as open_ms, case when f.open_since is not null then f.open_reasons end as open_reasons
        from item_blocked_facts f join work_items i on i.id = f.item_id and i.team_id = ${q.teamId}
        where f.team_id = ${q.teamId} and f.valid_from <= ${asOfParam(q)} ${q.type ? sql`and i.type = ${q.type}` : sql``}`,
  );
  return rows.map((r) => ({
    key: r.key,
    title: r.title,
    facts: {
      validFrom: new Date(r.valid_from_ms),
      blockedMs: r.blocked_ms,
      openSince: r.open_ms === null ? null : new Date(r.open_ms),
      openReasons: r.open_reasons ?? [],
      byReason: r.by_reason ?? [],
    },
  }));
}
