import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { teams, workflowStatuses, workItems } from "../schema";
import type { StatusCategory } from "../schema";

export interface Team {
  id: number;
  key: string;
  name: string;
  timezone: string;
  wipLimit: number | null;
}

export interface TeamStatus {
  name: string;
  position: number;
  category: StatusCategory;
  blocked: boolean;
  discarded: boolean;
  wipLimit: number | null;
}

export async function getTeamByKey(db: Db, key: string): Promise<Team | null> {
  const [team] = await db
    .select({ id: teams.id, key: teams.key, name: teams.name, timezone: teams.timezone, wipLimit: teams.wipLimit })
    .from(teams)
    .where(eq(teams.key, key));
  return team ?? null;
}

export async function listTeams(db: Db): Promise<Team[]> {
  return db
    .select({ id: teams.id, key: teams.key, name: teams.name, timezone: teams.timezone, wipLimit: teams.wipLimit })
    .from(teams)
    .orderBy(asc(teams.name));
}

/** The team's workflow in board order. */
export async function listWorkflowStatuses(db: Db, teamId: number): Promise<TeamStatus[]> {
  return db
    .select({
      name: workflowStatuses.name,
      position: workflowStatuses.position,
      category: workflowStatuses.category,
      blocked: workflowStatuses.blocked,
      discarded: workflowStatuses.discarded,
      wipLimit: workflowStatuses.wipLimit,
    })
    .from(workflowStatuses)
    .where(eq(workflowStatuses.teamId, teamId))
    .orderBy(asc(workflowStatuses.position));
}

/** The item types a team uses, for the type filter. */
export async function listItemTypes(db: Db, teamId: number): Promise<string[]> {
  const rows = await db.selectDistinct({ type: workItems.type }).from(workItems).where(eq(workItems.teamId, teamId)).orderBy(asc(workItems.type));
  return rows.map((r) => r.type);
}

export async function getTeamById(db: Db, id: number): Promise<Team | null> {
  const [team] = await db
    .select({ id: teams.id, key: teams.key, name: teams.name, timezone: teams.timezone, wipLimit: teams.wipLimit })
    .from(teams)
    .where(eq(teams.id, id));
  return team ?? null;
}
