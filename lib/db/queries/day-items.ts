// The items behind one day of the WIP and cumulative-flow series. Each query applies the rule of
// its counterpart in flow.ts (listWipDeltas, listFlowDeltas) to a single day, so that a list is
// exactly as long as the number on the chart it explains.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import type { LocalDate } from "../../time/calendar";
import { asOfParam, dayAfter, dayStart as startOf } from "./flow";

export interface DayQuery {
  teamId: number;
  timezone: string;
  asOf: Date;
  date: LocalDate;
  /** Only items of this type (story, bug…). */
  type?: string;
}

export interface DayItemRow {
  key: string;
  title: string;
  type: string;
  /** The item's status at the end of the day, or at as_of on the day that holds it. */
  status: string;
}

/** Local midnight that starts the day, and the one that ends it, as instants. */
const dayStart = (q: DayQuery) => startOf(q.date, q);
const dayEnd = (q: DayQuery) => dayAfter(q.date, q);
const typeFilter = (q: DayQuery) => (q.type ? sql`and i.type = ${q.type}` : sql``);

/**
 * The transition row that is the item's state at the end of the day: the last one strictly before
 * the next midnight, counting only those at or before as_of (as listFlowDeltas counts a row on the
 * days from its own to the one before its successor's, or onwards while it is the state at as_of).
 */
const stateAtEndOfDay = (t: SQL, q: DayQuery) =>
  sql`${t}.at <= ${asOfParam(q)} and ${t}.at < ${dayEnd(q)}
      and (${t}.until is null or ${t}.until > ${asOfParam(q)} or ${t}.until >= ${dayEnd(q)})`;

/**
 * Items in progress at any instant of the day, from its local 00:00 to the next, capped at as_of.
 * Per transition row rather than per spell: an in-progress spell covers a day exactly when one of
 * its rows does, and an empty row (until = at) covers none, as an empty spell covers none.
 */
export async function listWipItemsOnDay(db: Db, q: DayQuery): Promise<DayItemRow[]> {
  return queryRows<DayItemRow>(
    db,
    sql`select i.key, i.title, i.type, s.status
        from work_items i
        join lateral (select x.status from transitions x where x.item_id = i.id and ${stateAtEndOfDay(sql`x`, q)}) s on true
        where i.team_id = ${q.teamId} ${typeFilter(q)}
          and exists (
            select 1 from transitions t
            where t.item_id = i.id and t.category = 'in_progress' and t.at <= ${asOfParam(q)} and t.at < ${dayEnd(q)}
              and case when t.until is null or t.until > ${asOfParam(q)} then ${asOfParam(q)} >= ${dayStart(q)}
                       else t.until > ${dayStart(q)} and t.until > t.at end
          )
        order by i.key`,
  );
}

/** Items in a status at the end of the day (at as_of on the day that holds it): one CFD band. */
export async function listStatusItemsAtEndOfDay(db: Db, q: DayQuery, status: string): Promise<DayItemRow[]> {
  return queryRows<DayItemRow>(
    db,
    sql`select i.key, i.title, i.type, t.status
        from transitions t join work_items i on i.id = t.item_id
        where t.team_id = ${q.teamId} and t.status = ${status} and ${stateAtEndOfDay(sql`t`, q)} ${typeFilter(q)}
        order by i.key`,
  );
}
