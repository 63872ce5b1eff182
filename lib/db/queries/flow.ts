// The flow-metric aggregations, in SQL so they scale with the number of items. Each reads the
// per-transition facts: an item's state at as_of is its row with at <= as_of < until.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { pgArray } from "../sql-array";
import type { StatusCategory } from "../schema";
import type { LocalDate } from "../../time/calendar";

export interface FlowQuery {
  teamId: number;
  timezone: string;
  asOf: Date;
  from: LocalDate;
  to: LocalDate;
  /** Only items of this type (story, bug…). */
  type?: string;
}

export const asOfParam = (q: Pick<FlowQuery, "asOf">) => sql`${q.asOf.toISOString()}::timestamptz`;
export const tzParam = (q: Pick<FlowQuery, "timezone">) => sql`${q.timezone}::text`;
/** Local midnight that starts a date, as an instant. */
export const dayStart = (date: LocalDate, q: Pick<FlowQuery, "timezone">) => sql`(${date}::date::timestamp at time zone ${tzParam(q)})`;
export const dayAfter = (date: LocalDate, q: Pick<FlowQuery, "timezone">) => sql`((${date}::date + 1)::timestamp at time zone ${tzParam(q)})`;
export const localDateOf = (column: SQL, q: Pick<FlowQuery, "timezone">) => sql`(${column} at time zone ${tzParam(q)})::date`;
/**
 * The row that is the item's state at as_of. The open end is written as the expression of the
 * index transitions_team_open, so a team's states at as_of are found without reading its history.
 */
export const currentAt = (q: Pick<FlowQuery, "asOf">) => sql`t.at <= ${asOfParam(q)} and coalesce(t.until, 'infinity'::timestamptz) > ${asOfParam(q)}`;
/**
 * The window's local midnights as an array of instants (from 00:00 … to+1 00:00). width_bucket()
 * against it gives an instant's day index without a timezone conversion per row: 0 before the
 * window, i for the window's i-th day, n+1 after it.
 */
export const dayBounds = (q: Pick<FlowQuery, "timezone" | "from" | "to">) =>
  sql`(select array_agg((d::date::timestamp at time zone ${tzParam(q)}) order by d) as b, (${q.to}::date - ${q.from}::date + 1) as n
       from generate_series(${q.from}::date, ${q.to}::date + 1, interval '1 day') d)`;
/**
 * The row lasts past an instant (or has no end yet): written as the expression of the partial
 * index transitions_team_in_progress_open, so the day that holds as_of reads only its own rows.
 */
const openAfter = (instant: SQL) => sql`coalesce(t.until, 'infinity'::timestamptz) > ${instant}`;
/** Finished, non-discarded items whose local finish date lies in [from, to], as of as_of. */
const finishedInWindow = (q: FlowQuery) =>
  sql`t.team_id = ${q.teamId} and t.finished_at is not null and not t.discarded
      and t.finished_at >= ${dayStart(q.from, q)} and t.finished_at < ${dayAfter(q.to, q)}
      and ${currentAt(q)} ${typeFilter(q)}`;
export const typeFilter = (q: FlowQuery) =>
  q.type ? sql`and exists (select 1 from work_items wi where wi.id = t.item_id and wi.type = ${q.type})` : sql``;

export interface FinishedItemRow {
  key: string;
  /** With details only. */
  title?: string;
  type?: string;
  url?: string | null;
  /** Milliseconds since the epoch (cheaper to read and to write out than a Date). */
  started_ms: number;
  finished_ms: number;
  cycle_time_days: number;
}

/**
 * An instant as milliseconds since the epoch, a float8 the driver reads with parseFloat where a
 * timestamp is text for Date to parse. Exact: every stored instant came through a JavaScript
 * Date, so it holds whole milliseconds. (date_trunc would cost more: it works in the session's zone.)
 */
export const epochMs = (column: SQL) => sql`round(date_part('epoch', ${column}) * 1000)`;

/**
 * The local date of an instant as days since the window's first date, through the window's
 * midnights (width_bucket) where it lies after the window's start, so the common case costs no
 * time-zone conversion. Needs `bounds` (dayBounds) in scope.
 */
const windowDayOf = (column: SQL, q: Pick<FlowQuery, "timezone" | "from">) =>
  sql`(case when ${column} >= bounds.b[1] then width_bucket(${column}, bounds.b) - 1 else ${localDateOf(column, q)} - ${q.from}::date end)`;

/**
 * Finished, non-discarded items whose local finish date lies in [from, to]; with `details`, with
 * their titles, types and links (a team-year is some 10,000 rows: only what is shown is sent).
 */
export async function listFinishedItems(db: Db, q: FlowQuery, details = false): Promise<FinishedItemRow[]> {
  // The team's items are read once and hashed: the planner, misled by how finished rows and
  // open rows go together, would otherwise look each one up by its key (a third of the time).
  return queryRows<FinishedItemRow>(
    db,
    sql`with bounds as materialized ${dayBounds(q)},
        items as materialized (
          select id, key${details ? sql`, title, type, url` : sql``} from work_items where team_id = ${q.teamId}
        )
        select i.key, ${details ? sql`i.title, i.type, i.url,` : sql``}
          ${epochMs(sql`t.started_at`)} as started_ms, ${epochMs(sql`t.finished_at`)} as finished_ms,
          (${windowDayOf(sql`t.finished_at`, q)} - ${windowDayOf(sql`t.started_at`, q)} + 1)::int as cycle_time_days
        from transitions t join items i on i.id = t.item_id, bounds
        where ${finishedInWindow(q)}
        order by t.finished_at, i.key`,
  );
}

/** Cycle times in days of the finished, non-discarded items of the window (for percentiles). */
export async function listCycleTimeDays(db: Db, q: FlowQuery): Promise<number[]> {
  const rows = await queryRows<{ days: number[] | null }>(
    db,
    sql`with bounds as materialized ${dayBounds(q)}
        select array_agg(${windowDayOf(sql`t.finished_at`, q)} - ${windowDayOf(sql`t.started_at`, q)} + 1) as days
        from transitions t, bounds
        where ${finishedInWindow(q)}`,
  );
  return (rows[0]?.days ?? []).map(Number);
}

/** Finished, non-discarded items per local finish date (dates without any are absent). */
export async function countFinishedByDate(db: Db, q: FlowQuery): Promise<Map<LocalDate, number>> {
  // Grouped by the day's index among the window's midnights: one date written per day, not per item.
  const rows = await queryRows<{ date: string; count: number }>(
    db,
    sql`with bounds as materialized ${dayBounds(q)},
        per_day as (
          select width_bucket(t.finished_at, bounds.b) - 1 as day, count(*)::int as count
          from transitions t, bounds
          where ${finishedInWindow(q)}
          group by 1
        )
        select (${q.from}::date + day)::text as date, count from per_day`,
  );
  return new Map(rows.map((r) => [r.date, r.count]));
}

export interface DayDeltaRow {
  /** Days since the window's first date. */
  day: number;
  delta: number;
}

/**
 * Items in progress at any instant of each local date (capped at as_of), as +1/−1 steps per day.
 * An item's consecutive in-progress transitions form one spell [start, end); a spell covers the
 * days from its start's to the one holding its last instant (as_of's day while it is still open),
 * and spells of one item that share a day are merged, so no item counts twice on a day.
 */
export async function listWipDeltas(db: Db, q: FlowQuery): Promise<DayDeltaRow[]> {
  return queryRows<DayDeltaRow>(
    db,
    sql`with bounds as materialized ${dayBounds(q)},
        ip as (
          select t.item_id, t.at, t.until, t.seq - row_number() over (partition by t.item_id order by t.seq) as spell
          from transitions t, bounds
          where t.team_id = ${q.teamId} and t.category = 'in_progress' and t.at <= ${asOfParam(q)} and t.at < ${dayAfter(q.to, q)}
            and ${openAfter(dayStart(q.from, q))} ${typeFilter(q)}
        ), spells as (
          select item_id, min(at) as s, case when bool_or(until is null or until > ${asOfParam(q)}) then null else max(until) end as e
          from ip group by item_id, spell
        ), days as (
          select item_id,
            greatest(width_bucket(s, bounds.b) - 1, 0) as d1,
            least(width_bucket(coalesce(e - interval '1 microsecond', ${asOfParam(q)}), bounds.b) - 1, bounds.n - 1) as d2
          from spells, bounds where e is null or e > s
        ), ordered as (
          select item_id, d1, d2, max(d2) over (partition by item_id order by d1, d2 rows between unbounded preceding and 1 preceding) as reach
          from days where d1 <= d2
        ), grouped as (
          select item_id, d1, d2, count(*) filter (where reach is null or d1 > reach) over (partition by item_id order by d1, d2) as g
          from ordered
        ), merged as (
          select min(d1) as d1, max(d2) as d2 from grouped group by item_id, g
        ), ev as (
          select d1 as day, 1 as delta from merged
          union all
          select d2 + 1, -1 from merged
        )
        select day::int as day, sum(delta)::int as delta from ev group by day`,
  );
}

export interface StatusWipRow {
  date: LocalDate;
  status: string;
  wip: number;
}

/** Items in each of the given statuses at any instant of each local date (for WIP limits). */
export async function countStatusWipByDate(db: Db, q: FlowQuery, statuses: string[]): Promise<StatusWipRow[]> {
  if (statuses.length === 0) return [];
  return queryRows<StatusWipRow>(
    db,
    sql`with bounds as materialized ${dayBounds(q)},
        spell as (
          select t.item_id, t.status,
            greatest(width_bucket(t.at, bounds.b) - 1, 0) as d1,
            least(width_bucket(case when t.until is null or t.until > ${asOfParam(q)} then ${asOfParam(q)} else t.until - interval '1 microsecond' end, bounds.b) - 1, bounds.n - 1) as d2
          from transitions t, bounds
          where t.team_id = ${q.teamId} and t.category = 'in_progress' and t.status = any(${pgArray(statuses)}::text[])
            and t.at <= ${asOfParam(q)} and (t.until is null or t.until > t.at)
            and t.at < ${dayAfter(q.to, q)} and ${openAfter(dayStart(q.from, q))} ${typeFilter(q)}
        )
        select (${q.from}::date + d.day)::text as date, spell.status, count(distinct spell.item_id)::int as wip
        from spell, generate_series(spell.d1, spell.d2) as d(day)
        group by 1, 2`,
  );
}

export interface FlowDeltaRow {
  status: string;
  date: LocalDate;
  delta: number;
}

/**
 * Days on which items entered (+) or left (−) each status, as counted at the end of each day:
 * a transition row is an item's state at the end of the days from its own to the day before
 * its successor's (or to the window's end while it is still the state at as_of).
 */
export async function listFlowDeltas(db: Db, q: FlowQuery): Promise<FlowDeltaRow[]> {
  return queryRows<FlowDeltaRow>(
    db,
    sql`with bounds as materialized ${dayBounds(q)},
        state as (
          select t.status,
            greatest(width_bucket(t.at, bounds.b) - 1, 0) as first_day,
            case when t.until is null or t.until > ${asOfParam(q)} then null else width_bucket(t.until, bounds.b) - 1 end as end_day,
            bounds.n
          from transitions t, bounds
          where t.team_id = ${q.teamId} and t.at <= ${asOfParam(q)} and t.at < bounds.b[bounds.n + 1]
            and (t.until is null or t.until > ${asOfParam(q)} or t.until >= bounds.b[2])
            ${typeFilter(q)}
        ), live as (
          select * from state where end_day is null or end_day > first_day
        ), ev as (
          select status, first_day as day, 1 as delta from live
          union all
          select status, end_day, -1 from live where end_day is not null and end_day < n
        )
        select status, (${q.from}::date + day)::text as date, sum(delta)::int as delta from ev group by status, day`,
  );
}

export interface AgingRow {
  key: string;
  title: string;
  type: string;
  status: string;
  started_ms: number;
  age_days: number;
}

/**
 * Items in progress at as_of, oldest first. Their items are looked up one by one (work in
 * progress is few rows): joined by id alone, the planner misjudged how many and walked the whole
 * work_items table.
 */
export async function listAgingItems(db: Db, q: Omit<FlowQuery, "from" | "to">): Promise<AgingRow[]> {
  return queryRows<AgingRow>(
    db,
    sql`select i.key, i.title, i.type, t.status, ${epochMs(sql`t.started_at`)} as started_ms,
          (${localDateOf(asOfParam(q), q)} - ${localDateOf(sql`t.started_at`, q)} + 1)::int as age_days
        from transitions t
        cross join lateral (select wi.key, wi.title, wi.type from work_items wi where wi.id = t.item_id offset 0) i
        where t.team_id = ${q.teamId} and t.category = 'in_progress' and ${currentAt(q)}
          ${q.type ? sql`and i.type = ${q.type}` : sql``}
        order by t.started_at, i.key`,
  );
}

/**
 * Items with a transition, a block's start or a block's end after as_of: their blocked facts (the
 * state after their last change) do not hold at as_of.
 */
export async function listItemsChangedAfter(db: Db, q: Pick<FlowQuery, "teamId" | "asOf">): Promise<number[]> {
  const asOf = asOfParam(q);
  const rows = await queryRows<{ item_id: number }>(
    db,
    sql`select item_id::float8 as item_id from transitions where team_id = ${q.teamId} and at > ${asOf}
        union select item_id::float8 from blocks where team_id = ${q.teamId} and (start > ${asOf} or "end" > ${asOf})`,
  );
  return rows.map((r) => r.item_id);
}

export interface BlockedItemRow {
  item_id: number;
  key: string;
  title: string;
  category: StatusCategory;
  started_at: Date | null;
  finished_at: Date | null;
  /** Its blocks and blocked-status spells up to as_of, earliest first; end null: open at as_of. */
  spans: BlockedSpanRow[];
}

export interface BlockedSpanRow {
  start: Date;
  end: Date | null;
  reason: string | null;
}

/**
 * Items started by as_of (their state then is not todo: an item has blocked time only once
 * started) that have blocks or blocked-status time by then, with those spans, keys ascending.
 * Their states are found through the index of rows open at as_of. `onlyItems`: only those.
 */
export async function listBlockedItems(db: Db, q: Omit<FlowQuery, "from" | "to">, details = false, onlyItems: readonly number[] | null = null): Promise<BlockedItemRow[]> {
  const asOf = asOfParam(q);
  if (onlyItems?.length === 0) return [];
  const only = onlyItems ? sql`and item_id = any(${`{${onlyItems.join(",")}}`}::bigint[])` : sql``;
  // One row per span with its item's state, unordered: grouping and ordering are the client's
  // (an aggregate per item, or a sort of every span, costs the server more than the rows do).
  // Instants come as epoch milliseconds: cheaper to read than timestamps' text.
  const rows = await queryRows<{
    item_id: number;
    key: string;
    title?: string;
    category: StatusCategory;
    started_ms: number | null;
    finished_ms: number | null;
    start_ms: number;
    end_ms: number | null;
    reason: string | null;
    src: number;
    ord: number;
  }>(
    db,
    sql`with cur as (
          select t.item_id, t.category, t.started_at, t.finished_at from transitions t
          where t.team_id = ${q.teamId} and ${currentAt(q)} and t.category <> 'todo' ${only}
        ), spans as (
          select item_id, start, case when "end" > ${asOf} then null else "end" end as "end", reason, 0 as src, id as ord
          from blocks where team_id = ${q.teamId} and start <= ${asOf} ${only}
          union all
          select item_id, at, case when until > ${asOf} then null else until end, status, 1, seq
          from transitions where team_id = ${q.teamId} and blocked and at <= ${asOf} and (until is null or until > at) ${only}
        ), items as materialized (
          select id, key${details ? sql`, title` : sql``} from work_items where team_id = ${q.teamId} ${q.type ? sql`and type = ${q.type}` : sql``}
        )
        select s.item_id::float8 as item_id, i.key, ${details ? sql`i.title,` : sql``} c.category,
          ${epochMs(sql`c.started_at`)} as started_ms, ${epochMs(sql`c.finished_at`)} as finished_ms,
          ${epochMs(sql`s.start`)} as start_ms, ${epochMs(sql`s."end"`)} as end_ms, s.reason, s.src, s.ord::float8 as ord
        from spans s join cur c on c.item_id = s.item_id join items i on i.id = s.item_id`,
  );
  const byItem = new Map<number, { item: BlockedItemRow; order: { src: number; ord: number }[] }>();
  for (const r of rows) {
    let entry = byItem.get(r.item_id);
    if (!entry) {
      entry = {
        item: {
          item_id: r.item_id,
          key: r.key,
          title: r.title ?? "",
          category: r.category,
          started_at: r.started_ms === null ? null : new Date(r.started_ms),
          finished_at: r.finished_ms === null ? null : new Date(r.finished_ms),
          spans: [],
        },
        order: [],
      };
      byItem.set(r.item_id, entry);
    }
    entry.item.spans.push({ start: new Date(r.start_ms), end: r.end_ms === null ? null : new Date(r.end_ms), reason: r.reason });
    entry.order.push({ src: r.src, ord: r.ord });
  }
  const items: BlockedItemRow[] = [];
  for (const { item, order } of byItem.values()) {
    // Earliest first; at one instant, blocks before blocked statuses, each in stored order.
    if (item.spans.length > 1) {
      const indexed = item.spans.map((span, i) => ({ span, ...order[i]! }));
      indexed.sort((a, b) => a.span.start.getTime() - b.span.start.getTime() || a.src - b.src || a.ord - b.ord);
      item.spans = indexed.map((x) => x.span);
    }
    items.push(item);
  }
  // Keys ascending in code-unit order, whatever the database's collation.
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
