// The data-quality report in SQL (spec §3 "Data quality"): one pass over the covered items'
// history up to as_of, aggregated per check. The same rules as lib/metrics/compute/quality.ts.
import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { asOfParam, dayAfter, dayStart, typeFilter, type FlowQuery } from "./flow";
import type { QualityCheck } from "../../metrics/compute/quality";

export interface QualityRow {
  items_checked: number;
  /** Keys of the items that fail each check (unordered). */
  failing: Record<QualityCheck, string[] | null>;
}

export async function getQualityReport(db: Db, q: FlowQuery): Promise<QualityRow> {
  const asOf = asOfParam(q);
  const stalledSince = sql`(${asOf} - interval '120 hours')`;
  const [row] = await queryRows<{ items_checked: number } & Record<QualityCheck, string[] | null>>(
    db,
    sql`with covered as (
          select distinct t.item_id from transitions t
          where t.team_id = ${q.teamId} and t.at <= ${asOf} and t.at >= ${dayStart(q.from, q)} and t.at < ${dayAfter(q.to, q)} ${typeFilter(q)}
        ), hist as (
          select x.item_id, x.at, x.status, x.category, x.discarded, x.started_at, x.finished_at,
            lag(x.status) over w as prev_status, lag(x.category) over w as prev_category,
            row_number() over (partition by x.item_id order by x.seq desc) as from_end
          from transitions x join covered c on c.item_id = x.item_id
          where x.at <= ${asOf}
          window w as (partition by x.item_id order by x.seq)
        ), moves as (
          -- A move is judged from the status the item was in just before it.
          select h.item_id,
            coalesce(bool_or(h.prev_category = 'done' and h.category <> 'done'), false) as reopened,
            coalesce(bool_or(h.prev_category <> 'done' and tw.position < pw.position), false) as moved_backwards,
            min(h.at) as first_at, max(h.at) as last_at
          from hist h
          left join workflow_statuses tw on tw.team_id = ${q.teamId} and tw.name = h.status
          left join workflow_statuses pw on pw.team_id = ${q.teamId} and pw.name = h.prev_status
          group by h.item_id
        ), cur as (
          select item_id, category, discarded,
            case when category <> 'todo' then started_at end as started_at,
            case when category = 'done' then finished_at end as finished_at
          from hist where from_end = 1
        ), blk as (
          select b.item_id,
            bool_or(c.started_at is null or b.start < c.started_at) as before_start,
            bool_or(c.finished_at is not null and (b."end" is null or b."end" > c.finished_at)) as after_finish,
            bool_or(b.start > ${stalledSince} or (b."end" > ${stalledSince} and b."end" <= ${asOf})) as recent
          from blocks b join cur c on c.item_id = b.item_id
          where b.start <= ${asOf}
          group by b.item_id
        ), flags as (
          select i.key,
            (c.finished_at is not null and not c.discarded and c.started_at = c.finished_at) as skipped_in_progress,
            m.moved_backwards, m.reopened,
            coalesce(k.before_start, false) as blocked_before_start,
            coalesce(k.after_finish, false) as flag_after_finish,
            i.created_at > m.first_at as created_after_first_transition,
            (c.category = 'in_progress' and m.last_at <= ${stalledSince} and not coalesce(k.recent, false)) as stalled
          from cur c join moves m on m.item_id = c.item_id join work_items i on i.id = c.item_id
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
