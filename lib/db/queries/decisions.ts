import "server-only";
import { and, asc, desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../client";
import { decisions, users } from "../schema";

export interface DecisionRow {
  id: number;
  teamId: number;
  title: string;
  rationale: string;
  decidedAt: Date;
  decidedBy: number | null;
  deciderName: string | null;
  itemKeys: string[];
  milestoneKeys: string[];
  roadblockId: number | null;
  showOnCharts: boolean;
  createdAt: Date;
}

const columns = {
  id: decisions.id,
  teamId: decisions.teamId,
  title: decisions.title,
  rationale: decisions.rationale,
  decidedAt: decisions.decidedAt,
  decidedBy: decisions.decidedBy,
  deciderName: users.name,
  itemKeys: decisions.itemKeys,
  milestoneKeys: decisions.milestoneKeys,
  roadblockId: decisions.roadblockId,
  showOnCharts: decisions.showOnCharts,
  createdAt: decisions.createdAt,
};

export async function getDecision(db: Db, id: number): Promise<DecisionRow | null> {
  const [row] = await db.select(columns).from(decisions).leftJoin(users, eq(users.id, decisions.decidedBy)).where(eq(decisions.id, id));
  return row ?? null;
}

/** A team's decisions log, the latest first. */
export async function listTeamDecisions(db: Db, teamId: number): Promise<DecisionRow[]> {
  return db
    .select(columns)
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.decidedBy))
    .where(eq(decisions.teamId, teamId))
    .orderBy(desc(decisions.decidedAt), desc(decisions.id));
}

/** The answers given to one roadblock, in order. */
export async function listRoadblockDecisions(db: Db, roadblockId: number): Promise<DecisionRow[]> {
  return db
    .select(columns)
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.decidedBy))
    .where(eq(decisions.roadblockId, roadblockId))
    .orderBy(asc(decisions.decidedAt), asc(decisions.id));
}

/** A team's decisions marked for the charts, decided in [from, to). */
export async function listChartDecisions(db: Db, { teamId, from, to }: { teamId: number; from: Date; to: Date }): Promise<DecisionRow[]> {
  return db
    .select(columns)
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.decidedBy))
    .where(and(eq(decisions.teamId, teamId), eq(decisions.showOnCharts, true), gte(decisions.decidedAt, from), lt(decisions.decidedAt, to)))
    .orderBy(asc(decisions.decidedAt), asc(decisions.id));
}

export interface NewDecision {
  teamId: number;
  title: string;
  rationale: string;
  decidedAt: Date;
  decidedBy: number | null;
  itemKeys: string[];
  milestoneKeys: string[];
  roadblockId: number | null;
  showOnCharts: boolean;
  at: Date;
}

export async function insertDecision(db: Db, values: NewDecision): Promise<number> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(decisions)
    .values({ ...rest, createdAt: at })
    .returning({ id: decisions.id });
  return row!.id;
}
