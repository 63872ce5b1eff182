// The day-level facts (day_status_facts, day_wip_facts): written by imports, read by the flow
// metrics for the days before the one that holds as_of. See lib/metrics/compute/day-facts.ts.
import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { pgArray } from "../sql-array";
import type { StatusCategory } from "../schema";
import type { LocalDate } from "../../time/calendar";
import { asOfParam, dayStart, type FlowQuery } from "./flow";

export interface DayStatusFactRow {
  day: LocalDate;
  itemType: string;
  status: string;
  endOfDay: number;
  anyInstant: number;
}
export interface DayWipFactRow {
  day: LocalDate;
  itemType: string;
  delta: number;
}

/** An arbitrary advisory-lock class for day-level facts (the other key is the team's id). */
const DAY_FACTS_LOCK = 7_347_111;

/**
 * Holds the team's day-level facts until the transaction ends: an import's deltas and a rebuild
 * each read transitions and write facts, and one must not work from what the other has not yet
 * committed. Waits for the holder; later statements see what it committed.
 */
export async function lockDayFacts(db: Db, teamId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${DAY_FACTS_LOCK}, ${teamId})`);
}

/** The zone the team's facts are in; null when they are not built (metrics then read transitions). */
export async function dayFactsTimezone(db: Db, teamId: number): Promise<string | null> {
  const rows = await queryRows<{ timezone: string }>(db, sql`select timezone from day_facts_teams where team_id = ${teamId}`);
  return rows[0]?.timezone ?? null;
}

export async function teamTimezone(db: Db, teamId: number): Promise<string | null> {
  const rows = await queryRows<{ timezone: string }>(db, sql`select timezone from teams where id = ${teamId}`);
  return rows[0]?.timezone ?? null;
}

/** Teams whose facts are not built in their current timezone. */
export async function listTeamsWithoutDayFacts(db: Db): Promise<{ id: number; key: string; timezone: string }[]> {
  return queryRows<{ id: number; key: string; timezone: string }>(
    db,
    sql`select t.id, t.key, t.timezone from teams t left join day_facts_teams f on f.team_id = t.id
        where f.timezone is distinct from t.timezone order by t.id`,
  );
}

/** Whether the team has no work items yet: its facts are then complete while empty. */
export async function teamHasNoItems(db: Db, teamId: number): Promise<boolean> {
  const rows = await queryRows<{ none: boolean }>(db, sql`select not exists (select 1 from work_items where team_id = ${teamId}) as none`);
  return rows[0]?.none ?? true;
}

/** Marks the team's facts as built in `timezone` (they must be, in the same transaction). */
export async function markDayFacts(db: Db, teamId: number, timezone: string): Promise<void> {
  await db.execute(
    sql`insert into day_facts_teams (team_id, timezone) values (${teamId}, ${timezone})
        on conflict (team_id) do update set timezone = excluded.timezone, built_at = now()`,
  );
}

/** The team's facts no longer match its transitions: metrics read transitions until a rebuild. */
export async function dropDayFacts(db: Db, teamId: number): Promise<void> {
  await lockDayFacts(db, teamId);
  await db.execute(sql`delete from day_facts_teams where team_id = ${teamId}`);
  await db.execute(sql`delete from day_status_facts where team_id = ${teamId}`);
  await db.execute(sql`delete from day_wip_facts where team_id = ${teamId}`);
}

/** Adds deltas to the stored facts (an import's changed items); rows that reach zero go. */
export async function addDayFacts(db: Db, teamId: number, status: readonly DayStatusFactRow[], wip: readonly DayWipFactRow[]): Promise<void> {
  if (status.length > 0) {
    await db.execute(
      sql`insert into day_status_facts as f (team_id, day, item_type, status, end_of_day, any_instant)
          select ${teamId}, x.day, x.item_type, x.status, x.end_of_day, x.any_instant
          from unnest(${pgArray(status.map((r) => r.day))}::date[], ${pgArray(status.map((r) => r.itemType))}::text[],
            ${pgArray(status.map((r) => r.status))}::text[], ${pgArray(status.map((r) => r.endOfDay))}::int[],
            ${pgArray(status.map((r) => r.anyInstant))}::int[]) as x(day, item_type, status, end_of_day, any_instant)
          on conflict (team_id, day, item_type, status) do update
            set end_of_day = f.end_of_day + excluded.end_of_day, any_instant = f.any_instant + excluded.any_instant`,
    );
    await db.execute(sql`delete from day_status_facts where team_id = ${teamId} and end_of_day = 0 and any_instant = 0`);
  }
  if (wip.length > 0) {
    await db.execute(
      sql`insert into day_wip_facts as f (team_id, day, item_type, delta)
          select ${teamId}, x.day, x.item_type, x.delta
          from unnest(${pgArray(wip.map((r) => r.day))}::date[], ${pgArray(wip.map((r) => r.itemType))}::text[],
            ${pgArray(wip.map((r) => r.delta))}::int[]) as x(day, item_type, delta)
          on conflict (team_id, day, item_type) do update set delta = f.delta + excluded.delta`,
    );
    await db.execute(sql`delete from day_wip_facts where team_id = ${teamId} and delta = 0`);
  }
}

export interface StoredTransitionRow {
  item_id: number;
  item_type: string;
  /** -1: the item has no transitions (this row carries only its id). */
  seq: number;
  at: Date;
  until: Date | null;
  status: string;
  category: StatusCategory;
}

/**
 * A page of the team's items by id, with their transitions in order and their type, for a
 * rebuild; an item without transitions comes as one row with seq null, so the page's last id
 * is always its last row's.
 */
export async function listTransitionsForFacts(db: Db, teamId: number, afterItemId: number, items: number): Promise<StoredTransitionRow[]> {
  const rows = await queryRows<Omit<StoredTransitionRow, "seq"> & { seq: number | null }>(
    db,
    sql`with page as (select id, type from work_items where team_id = ${teamId} and id > ${afterItemId} order by id limit ${items})
        select page.id::float8 as item_id, page.type as item_type, t.seq, t.at, t.until, t.status, t.category
        from page left join transitions t on t.item_id = page.id
        order by page.id, t.seq`,
  );
  return rows.map((r) => ({ ...r, seq: r.seq ?? -1, item_id: Number(r.item_id), at: new Date(r.at), until: r.until ? new Date(r.until) : null }));
}

/**
 * Team WIP deltas of the days up to `lastDay`, as days since the window's first date; every day
 * before the window lands on its first day (its running start).
 */
export async function sumWipFacts(db: Db, q: FlowQuery, lastDay: LocalDate): Promise<{ day: number; delta: number }[]> {
  return queryRows<{ day: number; delta: number }>(
    db,
    sql`select greatest(day - ${q.from}::date, 0) as day, sum(delta)::int as delta
        from day_wip_facts
        where team_id = ${q.teamId} and day <= ${lastDay}::date ${q.type ? sql`and item_type = ${q.type}` : sql``}
        group by 1`,
  );
}

/** Per-status deltas of the days up to `lastDay`, days before the window on its first date. */
export async function sumStatusFacts(
  db: Db,
  q: FlowQuery,
  lastDay: LocalDate,
  column: "end_of_day" | "any_instant",
  statuses?: string[],
): Promise<{ status: string; date: LocalDate; delta: number }[]> {
  const value = column === "end_of_day" ? sql`end_of_day` : sql`any_instant`;
  return queryRows<{ status: string; date: LocalDate; delta: number }>(
    db,
    sql`select status, greatest(day, ${q.from}::date)::text as date, sum(${value})::int as delta
        from day_status_facts
        where team_id = ${q.teamId} and day <= ${lastDay}::date and ${value} <> 0
          ${q.type ? sql`and item_type = ${q.type}` : sql``}
          ${statuses ? sql`and status = any(${pgArray(statuses)}::text[])` : sql``}
        group by 1, 2`,
  );
}

/**
 * How the state per status changed from the start of as_of's day to as_of itself: rows that
 * began in that span (+1) and rows that ended in it (−1). With the facts of the days before,
 * this is the state at as_of, which the cumulative flow carries to the window's end.
 */
export async function listStateChangesOnAsOfDay(db: Db, q: Omit<FlowQuery, "from" | "to">, asOfDay: LocalDate): Promise<{ status: string; delta: number }[]> {
  const start = dayStart(asOfDay, q);
  const typeOf = q.type ? sql`and exists (select 1 from work_items wi where wi.id = t.item_id and wi.type = ${q.type})` : sql``;
  return queryRows<{ status: string; delta: number }>(
    db,
    sql`select status, sum(delta)::int as delta from (
          select t.status, 1 as delta from transitions t
          where t.team_id = ${q.teamId} and t.at >= ${start} and t.at <= ${asOfParam(q)} ${typeOf}
          union all
          select t.status, -1 from transitions t
          where t.team_id = ${q.teamId} and coalesce(t.until, 'infinity'::timestamptz) between ${start} and ${asOfParam(q)} ${typeOf}
        ) c group by status`,
  );
}
