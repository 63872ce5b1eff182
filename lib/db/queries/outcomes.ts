import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";
import { kpiPoints, kpis, milestones } from "../schema";

export async function getKpiByKey(db: Db, key: string) {
  const [kpi] = await db.select().from(kpis).where(eq(kpis.key, key));
  return kpi ?? null;
}

export async function listKpis(db: Db) {
  return db.select().from(kpis).orderBy(asc(kpis.name));
}

/** The whole (unsegmented) series of a KPI up to a date. */
export async function listKpiPoints(db: Db, kpiId: number, upTo: string) {
  return db
    .select({ date: kpiPoints.date, value: kpiPoints.value })
    .from(kpiPoints)
    .where(and(eq(kpiPoints.kpiId, kpiId), eq(kpiPoints.segment, ""), lte(kpiPoints.date, upTo)))
    .orderBy(asc(kpiPoints.date));
}

/** A team's milestones in the order its documents gave them. */
export async function listMilestones(db: Db, teamId: number) {
  return db.select().from(milestones).where(eq(milestones.teamId, teamId)).orderBy(asc(milestones.position), asc(milestones.id));
}

export interface MilestoneEffortRow {
  milestone: string;
  items: number;
  effort_days: number;
  /** Items of the milestone not finished at as_of. */
  open_items: number;
}

/** Per milestone: finished (non-discarded) items and their summed cycle-time days at as_of. */
export async function listMilestoneEffort(db: Db, teamId: number, timezone: string, asOf: Date): Promise<MilestoneEffortRow[]> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const tz = sql`${timezone}::text`;
  return queryRows<MilestoneEffortRow>(
    db,
    sql`select i.milestone_key as milestone,
          count(*) filter (where t.finished_at is not null and not t.discarded)::int as items,
          coalesce(sum(((t.finished_at at time zone ${tz})::date - (t.started_at at time zone ${tz})::date + 1))
            filter (where t.finished_at is not null and not t.discarded), 0)::int as effort_days,
          count(*) filter (where t.finished_at is null)::int as open_items
        from work_items i
        left join lateral (
          select x.finished_at, x.started_at, x.discarded from transitions x
          where x.item_id = i.id and x.at <= ${at} order by x.seq desc limit 1
        ) t on true
        where i.team_id = ${teamId} and i.milestone_key is not null
        group by i.milestone_key`,
  );
}

/** Every KPI with its number of points and last date. */
export async function listKpiSummaries(db: Db) {
  return queryRows<{ key: string; name: string; unit: string | null; aggregation: string; points: number; last_date: string | null }>(
    db,
    sql`select k.key, k.name, k.unit, k.aggregation::text as aggregation, count(p.date)::int as points, max(p.date)::text as last_date
        from kpis k left join kpi_points p on p.kpi_id = k.id and p.segment = ''
        group by k.id order by k.name`,
  );
}

/** Finished (non-discarded) items that belong to a milestone, per local finish date, up to as_of. */
export async function listMilestoneThroughput(db: Db, teamId: number, timezone: string, asOf: Date): Promise<{ date: string; value: number }[]> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  return queryRows<{ date: string; value: number }>(
    db,
    sql`select (t.finished_at at time zone ${timezone}::text)::date::text as date, count(*)::int as value
        from transitions t join work_items i on i.id = t.item_id
        where t.team_id = ${teamId} and i.milestone_key is not null and t.finished_at is not null and not t.discarded
          and t.at <= ${at} and (t.until is null or t.until > ${at})
        group by 1 order by 1`,
  );
}
