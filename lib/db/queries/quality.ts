// The data-quality report in SQL (spec §3 "Data quality"): one row per covered item, its state at
// as_of, aggregated per check. The same rules as lib/metrics/compute/quality.ts, whose history
// facts (reopened, moved backwards) the import stores on every transition row.
import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { asOfParam, currentAt, dayAfter, dayStart, typeFilter, type FlowQuery } from "./flow";
import type { QualityCheck } from "../../metrics/compute/quality";

export interface QualityRow {
  items_checked: number;
  /** Keys of the items that fail each check (unordered). */
  failing: Record<QualityCheck, string[] | null>;
}

export async function getQualityReport(db: Db, q: FlowQuery): Promise<QualityRow> {
  const asOf = asOfParam(q);
  const stalledSince = sql`(${asOf} - interval '120 hours')`;
  const windowStart = dayStart(q.from, q);
  const windowEnd = dayAfter(q.to, q);
  const [row] = await queryRows<{ items_checked: number } & Record<QualityCheck, string[] | null>>(
    db,
    // Each item's row at as_of carries what its history up to then says (reopened, moved
    // backwards, started, finished): one row per item, found through the index of open rows.
    // An item is covered when a transition at or before as_of lies in the window: its row at
    // as_of does, or (that row being after the window) an earlier one does.
    sql`with cur as (
          select t.item_id, t.at, t.category, t.discarded, t.reopened, t.moved_backwards,
            case when t.category <> 'todo' then t.started_at end as started_at,
            case when t.category = 'done' then t.finished_at end as finished_at
          from transitions t
          where t.team_id = ${q.teamId} and ${currentAt(q)}
            and t.at >= ${windowStart}
            and (t.at < ${windowEnd} or exists (
              select 1 from transitions e where e.item_id = t.item_id and e.at >= ${windowStart} and e.at < ${windowEnd}))
            ${typeFilter(q)}
        ), blk as (
          select b.item_id,
            bool_or(c.started_at is null or b.start < c.started_at) as before_start,
            bool_or(c.finished_at is not null and (b."end" is null or b."end" > c.finished_at)) as after_finish,
            bool_or(b.start > ${stalledSince} or (b."end" > ${stalledSince} and b."end" <= ${asOf})) as recent
          from blocks b join cur c on c.item_id = b.item_id
          where b.team_id = ${q.teamId} and b.start <= ${asOf}
          group by b.item_id
        ), flags as (
          select i.key,
            (c.finished_at is not null and not c.discarded and c.started_at = c.finished_at) as skipped_in_progress,
            c.moved_backwards, c.reopened,
            coalesce(k.before_start, false) as blocked_before_start,
            coalesce(k.after_finish, false) as flag_after_finish,
            coalesce(i.created_at > i.first_transition_at, false) as created_after_first_transition,
            (c.category = 'in_progress' and c.at <= ${stalledSince} and not coalesce(k.recent, false)) as stalled
          -- The team's condition on work_items lets the planner hash the team's items, where
          -- by the item ids alone it would walk the whole table's primary key.
          from cur c join work_items i on i.id = c.item_id and i.team_id = ${q.teamId}
          left join blk k on k.item_id = c.item_id
        )
        select count(*)::int as items_checked,
          array_agg(key) filter (where skipped_in_progress) as skipped_in_progress,
          array_agg(key) filter (where moved_backwards) as moved_backwards,
          array_agg(key) filter (where reopened) as reopened,
          array_agg(key) filter (where blocked_before_start) as blocked_before_start,
          array_agg(key) filter (where flag_after_finish) as flag_after_finish,
          array_agg(key) filter (where created_after_first_transition) as created_after_first_transition,
          array_agg(key) filter (where stalled) as stalled
        from flags`,
  );
  const { items_checked, ...failing } = row ?? { items_checked: 0 };
  return { items_checked: items_checked ?? 0, failing: failing as QualityRow["failing"] };
}
