// Teams as the actor may see them: outside its teams a team does not exist.
import "server-only";
import { canListTeams, canReadTeam, seesTeam } from "../auth/permissions";
import { getTeamByKey, listItemTypes, listTeams, listWorkflowStatuses, type Team, type TeamStatus } from "../db/queries/teams";
import { allow, type ServiceContext } from "./context";

export type { Team, TeamStatus };

export async function listVisibleTeams(ctx: ServiceContext): Promise<Team[]> {
  allow(canListTeams(ctx.actor));
  return (await listTeams(ctx.db)).filter((t) => seesTeam(ctx.actor, t.id));
}

/** The team, if the actor may read it; an unknown team and another's team answer the same 404. */
export async function requireTeam(ctx: ServiceContext, key: string): Promise<Team> {
  allow(canListTeams(ctx.actor));
  const team = await getTeamByKey(ctx.db, key);
  const notFound = `No team with key "${key}".`;
  if (!team) allow("TEAM_NOT_FOUND", notFound);
  allow(canReadTeam(ctx.actor, team!.id), notFound);
  return team!;
}

/** What the dashboard page needs besides metrics: the workflow and the item types. */
export async function getDashboardTeam(ctx: ServiceContext, key: string) {
  const team = await requireTeam(ctx, key);
  const [statuses, types] = await Promise.all([listWorkflowStatuses(ctx.db, team.id), listItemTypes(ctx.db, team.id)]);
  return { team, statuses, types };
}
