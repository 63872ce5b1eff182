// Hand-written single SQL queries that answer each metric directly: the bar our engine is held to.
import { sql, type SQL } from "drizzle-orm";
import type { FlowMetric } from "../lib/metrics/params";

export interface BaselineParams {
  teamId: number;
  tz: string;
  asOf: string;
  from: string;
  to: string;
}

export function baselineQuery(metric: FlowMetric, p: BaselineParams): SQL {
  const asOf = sql`${p.asOf}::timestamptz`;
  const tz = sql`${p.tz}::text`;
  const dayStart = sql`(${p.from}::date::timestamp at time zone ${tz})`;
  const dayAfter = sql`((${p.to}::date + 1)::timestamp at time zone ${tz})`;
  const current = sql`t.at <= ${asOf} and (t.until is null or t.until > ${asOf})`;
  switch (metric) {
    case "cycle-time":
      return sql`with f as (
          select i.key, t.started_at, t.finished_at,
            (t.finished_at at time zone ${tz})::date - (t.started_at at time zone ${tz})::date + 1 as days,
            round((extract(epoch from t.finished_at - t.started_at) / 3600)::numeric, 2) as hours
          from transitions t join work_items i on i.id = t.item_id
          where t.team_id = ${p.teamId} and t.finished_at is not null and not t.discarded
            and t.finished_at >= ${dayStart} and t.finished_at < ${dayAfter} and ${current})
        select count(*) as count,
          percentile_disc(array[0.5, 0.7, 0.85, 0.95]) within group (order by days) as percentiles,
          json_agg(json_build_object('key', key, 'started_at', started_at, 'finished_at', finished_at, 'cycle_time_days', days, 'cycle_time_hours', hours) order by finished_at, key) as items
        from f`;
    case "throughput":
      return sql`with d as (
          select (t.finished_at at time zone ${tz})::date as day, count(*) as n from transitions t
          where t.team_id = ${p.teamId} and t.finished_at is not null and not t.discarded
            and t.finished_at >= ${dayStart} and t.finished_at < ${dayAfter} and ${current} group by 1),
        s as (select g::date as day, coalesce(d.n, 0) as n from generate_series(${p.from}::date, ${p.to}::date, interval '1 day') g left join d on d.day = g::date)
        select (select json_agg(json_build_object('date', day, 'count', n) order by day) from s) as daily,
          (select json_agg(w) from (select to_char(day, 'IYYY-"W"IW') as week, sum(n) as count from s group by 1 order by 1) w) as weekly`;
    case "wip":
      return sql`with bounds as materialized (
          select array_agg((d::date::timestamp at time zone ${tz}) order by d) as b, ${p.to}::date - ${p.from}::date + 1 as n
          from generate_series(${p.from}::date, ${p.to}::date + 1, interval '1 day') d),
        ip as (
          select t.item_id, t.at, t.until, t.seq - row_number() over (partition by t.item_id order by t.seq) as grp
          from transitions t, bounds where t.team_id = ${p.teamId} and t.category = 'in_progress' and t.at <= ${asOf}
            and t.at < b[n + 1] and (t.until is null or t.until > b[1])),
        isl as (select item_id, min(at) s, case when bool_or(until is null or until > ${asOf}) then null else max(until) end e from ip group by item_id, grp),
        days as (select item_id, greatest(width_bucket(s, b) - 1, 0) d1, least(width_bucket(coalesce(e - interval '1 microsecond', ${asOf}), b) - 1, n - 1) d2
          from isl, bounds where e is null or e > s),
        o as (select item_id, d1, d2, max(d2) over (partition by item_id order by d1, d2 rows between unbounded preceding and 1 preceding) r from days where d1 <= d2),
        g as (select item_id, d1, d2, count(*) filter (where r is null or d1 > r) over (partition by item_id order by d1, d2) k from o),
        m as (select min(d1) d1, max(d2) d2 from g group by item_id, k),
        ev as (select d1 as day, 1 as delta from m union all select d2 + 1, -1 from m)
        select ${p.from}::date + i as date, sum(coalesce(ev.delta, 0)) over (order by i) as wip
        from bounds, generate_series(0, n - 1) i left join ev on ev.day = i`;
    case "cfd":
      return sql`with bounds as materialized (
          select array_agg((d::date::timestamp at time zone ${tz}) order by d) as b, ${p.to}::date - ${p.from}::date + 1 as n
          from generate_series(${p.from}::date, ${p.to}::date + 1, interval '1 day') d),
        state as (
          select t.status, greatest(width_bucket(t.at, b) - 1, 0) as d1,
            case when t.until is null or t.until > ${asOf} then null else width_bucket(t.until, b) - 1 end as d2, n
          from transitions t, bounds where t.team_id = ${p.teamId} and t.at <= ${asOf} and t.at < b[n + 1]
            and (t.until is null or t.until > ${asOf} or t.until >= b[2])),
        ev as (
          select status, d1 as day, 1 as delta from state where d2 is null or d2 > d1
          union all
          select status, d2, -1 from state where d2 is not null and d2 > d1 and d2 < n),
        agg as (select status, day, sum(delta) as delta from ev group by 1, 2)
        select w.name, ${p.from}::date + i as date, sum(coalesce(agg.delta, 0)) over (partition by w.name order by i) as n
        from workflow_statuses w cross join bounds cross join generate_series(0, bounds.n - 1) i
        left join agg on agg.status = w.name and agg.day = i
        where w.team_id = ${p.teamId}`;
    case "aging":
      return sql`with ref as (
          select percentile_disc(array[0.5, 0.7, 0.85, 0.95]) within group (order by
            (t.finished_at at time zone ${tz})::date - (t.started_at at time zone ${tz})::date + 1) as p
          from transitions t where t.team_id = ${p.teamId} and t.finished_at is not null and not t.discarded and ${current}
            and t.finished_at >= (((${asOf} at time zone ${tz})::date - 89)::timestamp at time zone ${tz}))
        select i.key, t.status, t.started_at,
          (${asOf} at time zone ${tz})::date - (t.started_at at time zone ${tz})::date + 1 as age_days,
          round((extract(epoch from ${asOf} - t.started_at) / 3600)::numeric, 2) as age_hours, ref.p
        from transitions t join work_items i on i.id = t.item_id, ref
        where t.team_id = ${p.teamId} and t.category = 'in_progress' and ${current}
        order by t.started_at`;
    case "blockers":
      return sql`with state as (
          select t.item_id, t.category, t.started_at, t.finished_at from transitions t where t.team_id = ${p.teamId} and ${current}),
        spans as (
          select b.item_id, b.start, coalesce(least(b."end", ${asOf}), ${asOf}) as "end" from blocks b where b.team_id = ${p.teamId} and b.start <= ${asOf}
          union all
          select t.item_id, t.at, least(coalesce(t.until, ${asOf}), ${asOf}) from transitions t where t.team_id = ${p.teamId} and t.blocked and t.at <= ${asOf}),
        clipped as (
          select s.item_id, tstzrange(greatest(s.start, st.started_at), least(s."end", coalesce(st.finished_at, ${asOf})), '[]') as r
          from spans s join state st on st.item_id = s.item_id
          where st.category <> 'todo' and greatest(s.start, st.started_at) <= least(s."end", coalesce(st.finished_at, ${asOf})))
        select i.key, range_agg(r) as blocked from clipped c join work_items i on i.id = c.item_id group by i.key`;
    case "quality":
      // Each check as its own correlated subquery over the state at as_of: the plain way to write it.
      return sql`with cov as (
          select distinct t.item_id from transitions t
          where t.team_id = ${p.teamId} and t.at <= ${asOf} and t.at >= ${dayStart} and t.at < ${dayAfter}),
        st as (
          select c.item_id, s.category, s.discarded, s.started_at, s.finished_at from cov c
          cross join lateral (select * from transitions x where x.item_id = c.item_id and x.at <= ${asOf} order by x.seq desc limit 1) s)
        select i.key,
          (st.category = 'done' and not st.discarded and st.started_at = st.finished_at) as skipped,
          exists (select 1 from transitions a join transitions b on b.item_id = a.item_id and b.seq = a.seq + 1
                  join workflow_statuses wa on wa.team_id = a.team_id and wa.name = a.status
                  join workflow_statuses wb on wb.team_id = b.team_id and wb.name = b.status
                  where a.item_id = st.item_id and b.at <= ${asOf} and a.category <> 'done' and wb.position < wa.position) as backwards,
          exists (select 1 from transitions a join transitions b on b.item_id = a.item_id and b.seq = a.seq + 1
                  where a.item_id = st.item_id and b.at <= ${asOf} and a.category = 'done' and b.category <> 'done') as reopened,
          exists (select 1 from blocks k where k.item_id = st.item_id and k.start <= ${asOf}
                  and (st.category = 'todo' or k.start < st.started_at)) as before_start,
          exists (select 1 from blocks k where k.item_id = st.item_id and k.start <= ${asOf} and st.category = 'done'
                  and (k."end" is null or k."end" > st.finished_at)) as after_finish,
          i.created_at > (select min(at) from transitions x where x.item_id = st.item_id) as created_late,
          st.category = 'in_progress' and not exists (select 1 from transitions x where x.item_id = st.item_id
                  and x.at > ${asOf} - interval '120 hours' and x.at <= ${asOf})
            and not exists (select 1 from blocks k where k.item_id = st.item_id and k.start <= ${asOf}
                  and (k.start > ${asOf} - interval '120 hours' or (k."end" > ${asOf} - interval '120 hours' and k."end" <= ${asOf}))) as stalled
        from st join work_items i on i.id = st.item_id`;
  }
}

/**
 * WIP and cumulative flow over the day-level facts the engine reads (day_wip_facts,
 * day_status_facts), with the day that holds as_of from its transitions, and blockers over the
 * items' blocked facts: the fastest single statements we could write over the same facts.
 */
export function factBaselineQuery(metric: "wip" | "cfd" | "blockers", p: BaselineParams): SQL {
  const asOf = sql`${p.asOf}::timestamptz`;
  if (metric === "blockers") {
    // Each item's blocked facts, its open blocker grown to as_of, plus the items changed after as_of
    // (none at the bench's as_of, so their spans are left out).
    return sql`select i.key,
        round(((f.blocked_ms + case when f.open_since is null then 0 else extract(epoch from ${asOf} - f.valid_from) * 1000 end) / 3600000)::numeric, 2) as blocked_hours,
        f.open_since, case when f.open_since is not null then f.open_reasons end as reasons
      from item_blocked_facts f join work_items i on i.id = f.item_id and i.team_id = ${p.teamId}
      where f.team_id = ${p.teamId} and f.valid_from <= ${asOf}
        and not exists (select 1 from transitions t where t.team_id = ${p.teamId} and t.at > ${asOf})`;
  }
  const tz = sql`${p.tz}::text`;
  const asOfDay = sql`((${asOf} at time zone ${tz})::date)`;
  const asOfDayStart = sql`(${asOfDay}::timestamp at time zone ${tz})`;
  if (metric === "wip") {
    return sql`with f as (
        select greatest(day, ${p.from}::date) as day, sum(delta) as d from day_wip_facts
        where team_id = ${p.teamId} and day <= least(${p.to}::date, ${asOfDay} - 1) group by 1),
      live as (
        select count(distinct t.item_id) as n from transitions t
        where t.team_id = ${p.teamId} and t.category = 'in_progress' and t.at <= ${asOf}
          and coalesce(t.until, 'infinity'::timestamptz) > ${asOfDayStart} and (t.until is null or t.until > t.at))
      select g::date as date,
        case when g::date < ${asOfDay} then sum(coalesce(f.d, 0)) over (order by g) when g::date = ${asOfDay} then (select n from live) else 0 end as wip
      from generate_series(${p.from}::date, ${p.to}::date, interval '1 day') g left join f on f.day = g::date`;
  }
  return sql`with f as (
      select status, greatest(day, ${p.from}::date) as day, end_of_day as d from day_status_facts
      where team_id = ${p.teamId} and day <= least(${p.to}::date, ${asOfDay} - 1)
      union all
      select status, greatest(${asOfDay}, ${p.from}::date), 1 from transitions t
      where ${asOfDay} <= ${p.to}::date and t.team_id = ${p.teamId} and t.at >= ${asOfDayStart} and t.at <= ${asOf}
      union all
      select status, greatest(${asOfDay}, ${p.from}::date), -1 from transitions t
      where ${asOfDay} <= ${p.to}::date and t.team_id = ${p.teamId} and t.until >= ${asOfDayStart} and t.until <= ${asOf}),
    g as (select status, day, sum(d) as d from f group by 1, 2)
    select w.name, ds::date as date, sum(coalesce(g.d, 0)) over (partition by w.name order by ds) as n
    from workflow_statuses w cross join generate_series(${p.from}::date, ${p.to}::date, interval '1 day') ds
    left join g on g.status = w.name and g.day = ds::date
    where w.team_id = ${p.teamId}`;
}
