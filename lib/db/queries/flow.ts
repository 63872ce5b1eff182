// The flow-metric aggregations, in SQL so they scale with the number of items. Each reads the
// per-transition facts: an item's state at as_of is its row with at <= as_of < until.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../client";
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

const asOfParam = (q: Pick<FlowQuery, "asOf">) => sql`${q.asOf.toISOString()}::timestamptz`;
const tzParam = (q: Pick<FlowQuery, "timezone">) => sql`${q.timezone}::text`;
/** Local midnight that starts a date, as an instant. */
const dayStart = (date: LocalDate, q: Pick<FlowQuery, "timezone">) => sql`(${date}::date::timestamp at time zone ${tzParam(q)})`;
const dayAfter = (date: LocalDate, q: Pick<FlowQuery, "timezone">) => sql`((${date}::date + 1)::timestamp at time zone ${tzParam(q)})`;
const localDateOf = (column: SQL, q: Pick<FlowQuery, "timezone">) => sql`(${column} at time zone ${tzParam(q)})::date`;
/** The row that is the item's state at as_of. */
const currentAt = (q: Pick<FlowQuery, "asOf">) => sql`t.at <= ${asOfParam(q)} and (t.until is null or t.until > ${asOfParam(q)})`;
const typeFilter = (q: FlowQuery) =>
  q.type ? sql`and exists (select 1 from work_items wi where wi.id = t.item_id and wi.type = ${q.type})` : sql``;

export interface FinishedItemRow {
  key: string;
  started_at: Date;
  finished_at: Date;
  cycle_time_days: number;
  cycle_time_ms: number;
}

/** Finished, non-discarded items whose local finish date lies in [from, to]. */
export async function listFinishedItems(db: Db, q: FlowQuery): Promise<FinishedItemRow[]> {
  const rows = await queryRows<FinishedItemRow>(
    db,
    sql`select i.key, t.started_at, t.finished_at,
          (${localDateOf(sql`t.finished_at`, q)} - ${localDateOf(sql`t.started_at`, q)} + 1)::int as cycle_time_days,
          (extract(epoch from (t.finished_at - t.started_at)) * 1000)::float8 as cycle_time_ms
        from transitions t join work_items i on i.id = t.item_id
        where t.team_id = ${q.teamId} and t.finished_at is not null and not t.discarded
          and t.finished_at >= ${dayStart(q.from, q)} and t.finished_at < ${dayAfter(q.to, q)}
          and ${currentAt(q)} ${typeFilter(q)}
        order by t.finished_at, i.key`,
  );
  return rows.map((r) => ({ ...r, started_at: new Date(r.started_at), finished_at: new Date(r.finished_at) }));
}

/** Finished, non-discarded items per local finish date (dates without any are absent). */
export async function countFinishedByDate(db: Db, q: FlowQuery): Promise<Map<LocalDate, number>> {
  const rows = await queryRows<{ date: string; count: number }>(
    db,
    sql`select ${localDateOf(sql`t.finished_at`, q)}::text as date, count(*)::int as count
        from transitions t
        where t.team_id = ${q.teamId} and t.finished_at is not null and not t.discarded
          and t.finished_at >= ${dayStart(q.from, q)} and t.finished_at < ${dayAfter(q.to, q)}
          and ${currentAt(q)} ${typeFilter(q)}
        group by 1`,
  );
  return new Map(rows.map((r) => [r.date, r.count]));
}

export interface WipRow {
  date: LocalDate;
  /** null: all in-progress statuses together. */
  status: string | null;
  wip: number;
}

/**
 * Items in progress at any instant of each local date (capped at as_of), in total and per status.
 * An in-progress spell [at, until) covers the dates from its start's to the one holding its last
 * instant; a spell still open at as_of runs to as_of's date.
 */
export async function countWipByDate(db: Db, q: FlowQuery): Promise<WipRow[]> {
  return queryRows<WipRow>(
    db,
    sql`with spell as (
          select t.item_id, t.status,
            ${localDateOf(sql`t.at`, q)} as first_day,
            case when t.until is null or t.until > ${asOfParam(q)} then ${localDateOf(asOfParam(q), q)}
                 else ${localDateOf(sql`(t.until - interval '1 microsecond')`, q)} end as last_day
          from transitions t
          where t.team_id = ${q.teamId} and t.category = 'in_progress' and t.at <= ${asOfParam(q)}
            and (t.until is null or t.until > t.at)
            and t.at < ${dayAfter(q.to, q)} and (t.until is null or t.until > ${dayStart(q.from, q)})
            ${typeFilter(q)}
        ), day as (
          select s.item_id, s.status, d::date as date
          from spell s, generate_series(greatest(s.first_day, ${q.from}::date), least(s.last_day, ${q.to}::date), interval '1 day') d
        )
        select date::text as date, status, count(distinct item_id)::int as wip
        from day group by grouping sets ((date), (date, status))`,
  );
}

export interface FlowDeltaRow {
  status: string;
  date: LocalDate;
  delta: number;
}

/**
 * Days on which items entered (+) or left (−) each status, as counted at the end of each day:
 * a transition row is an item's state at the end of the dates from its own to the day before
 * its successor's (or to the window's end when it is still the state at as_of).
 */
export async function listFlowDeltas(db: Db, q: FlowQuery): Promise<FlowDeltaRow[]> {
  return queryRows<FlowDeltaRow>(
    db,
    sql`with state as (
          select t.status,
            greatest(${localDateOf(sql`t.at`, q)}, ${q.from}::date) as first_day,
            case when t.until is null or t.until > ${asOfParam(q)} then null
                 else ${localDateOf(sql`t.until`, q)} end as end_day
          from transitions t
          where t.team_id = ${q.teamId} and t.at <= ${asOfParam(q)} and t.at < ${dayAfter(q.to, q)}
            and (t.until is null or t.until > ${asOfParam(q)} or t.until >= ${dayAfter(q.from, q)})
            ${typeFilter(q)}
        ), live as (
          select * from state where first_day <= ${q.to}::date and (end_day is null or end_day > first_day)
        ), ev as (
          select status, first_day as day, 1 as delta from live
          union all
          select status, end_day, -1 from live where end_day is not null and end_day <= ${q.to}::date
        )
        select status, day::text as date, sum(delta)::int as delta from ev group by status, day`,
  );
}

export interface AgingRow {
  key: string;
  status: string;
  started_at: Date;
  age_days: number;
  age_ms: number;
}

export async function listAgingItems(db: Db, q: Omit<FlowQuery, "from" | "to">): Promise<AgingRow[]> {
  const rows = await queryRows<AgingRow>(
    db,
    sql`select i.key, t.status, t.started_at,
          (${localDateOf(asOfParam(q), q)} - ${localDateOf(sql`t.started_at`, q)} + 1)::int as age_days,
          (extract(epoch from (${asOfParam(q)} - t.started_at)) * 1000)::float8 as age_ms
        from transitions t join work_items i on i.id = t.item_id
        where t.team_id = ${q.teamId} and t.category = 'in_progress' and ${currentAt(q)}
          ${q.type ? sql`and i.type = ${q.type}` : sql``}
        order by age_ms desc, i.key`,
  );
  return rows.map((r) => ({ ...r, started_at: new Date(r.started_at) }));
}

export interface BlockCandidateRow {
  item_id: number;
  key: string;
  category: StatusCategory | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface BlockedSpanRow {
  item_id: number;
  start: Date;
  end: Date | null;
  reason: string | null;
}

/** Items that have blocks or blocked-status time by as_of, with their state at as_of. */
export async function listBlockCandidates(db: Db, q: Omit<FlowQuery, "from" | "to">): Promise<BlockCandidateRow[]> {
  const rows = await queryRows<BlockCandidateRow>(
    db,
    sql`with cand as (
          select item_id from blocks where team_id = ${q.teamId} and start <= ${asOfParam(q)}
          union
          select item_id from transitions where team_id = ${q.teamId} and blocked and at <= ${asOfParam(q)}
        )
        select i.id::float8 as item_id, i.key, t.category, t.started_at, t.finished_at
        from cand join work_items i on i.id = cand.item_id
        left join transitions t on t.item_id = cand.item_id and ${currentAt(q)}
        where true ${q.type ? sql`and i.type = ${q.type}` : sql``}
        order by i.key`,
  );
  return rows.map((r) => ({
    ...r,
    item_id: Number(r.item_id),
    started_at: r.started_at ? new Date(r.started_at) : null,
    finished_at: r.finished_at ? new Date(r.finished_at) : null,
  }));
}

/**
 * Blocks and blocked-status spells of a team up to as_of, earliest first. A span whose end lies
 * after as_of (or that has none) is returned with end null: it is still open at as_of.
 */
export async function listBlockedSpans(db: Db, q: Omit<FlowQuery, "from" | "to">): Promise<BlockedSpanRow[]> {
  const rows = await queryRows<BlockedSpanRow & { ord: number }>(
    db,
    sql`select item_id::float8 as item_id, start, case when "end" > ${asOfParam(q)} then null else "end" end as "end", reason, 0 as src, id::float8 as ord
          from blocks where team_id = ${q.teamId} and start <= ${asOfParam(q)}
        union all
        select item_id::float8, at, case when until > ${asOfParam(q)} then null else until end, status, 1, seq
          from transitions where team_id = ${q.teamId} and blocked and at <= ${asOfParam(q)} and (until is null or until > at)
        order by 2, 5, 6`,
  );
  return rows.map((r) => ({
    item_id: Number(r.item_id),
    start: new Date(r.start),
    end: r.end ? new Date(r.end) : null,
    reason: r.reason,
  }));
}
