// Who may do what (../shared/spec/access.md), as pure checks on an actor. The service layer calls
// these before it touches data; nothing else decides access.
import type { TokenScope } from "../db/schema/access";
import type { UserRole } from "../db/schema/auth";

export type { TokenScope, UserRole };

/** A person's standing: their role and the teams they see ("all", or team ids). */
export interface Principal {
  userId: number | null;
  name: string;
  role: UserRole;
  teams: "all" | readonly number[];
  /** The read-only "Explore the demo" visitor: a viewer of every team with no account. */
  demo?: boolean;
}

export type Actor =
  | { kind: "anonymous" }
  | ({ kind: "user" } & Principal)
  /** An API token acts for its owner, within its scopes. */
  | ({ kind: "token"; tokenId: number; scopes: readonly TokenScope[] } & Principal)
  /** The CLI and scheduled jobs on the server itself. */
  | { kind: "system" };

export const ANONYMOUS: Actor = { kind: "anonymous" };
export const SYSTEM: Actor = { kind: "system" };

export type Refusal = "UNAUTHORIZED" | "TEAM_NOT_FOUND" | "FORBIDDEN";

/** Admins and the system see every team; others their own. */
export function seesTeam(actor: Actor, teamId: number): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "anonymous") return false;
  if (actor.role === "admin" || actor.teams === "all") return true;
  return actor.teams.includes(teamId);
}

/** Reading a team's dashboard, items, metrics and outcomes. Null: allowed. */
export function canReadTeam(actor: Actor, teamId: number): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "token" && !actor.scopes.includes("metrics:read")) return "FORBIDDEN";
  // Outside the caller's teams is "not found", so nobody learns which teams exist.
  return seesTeam(actor, teamId) ? null : "TEAM_NOT_FOUND";
}

/** Team lists and the overview: every signed-in actor, filtered to the teams it sees. */
export function canListTeams(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "token" && !actor.scopes.includes("metrics:read")) return "FORBIDDEN";
  return null;
}

/** KPI series are organisation-wide: any signed-in role, a token with metrics:read. */
export function canReadKpis(actor: Actor): Refusal | null {
  return canListTeams(actor);
}

/** Define, upload or push KPI points: admins, and tokens with kpis:write whose owner is an admin. */
export function canWriteKpis(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "system") return null;
  if (actor.kind === "token" && !actor.scopes.includes("kpis:write")) return "FORBIDDEN";
  return actor.role === "admin" ? null : "FORBIDDEN";
}

/** Settings: users, roles, invites, sources, schedules, every token. Admins only; tokens never. */
export function canAdminister(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "system") return null;
  if (actor.kind === "token") return "FORBIDDEN";
  return actor.role === "admin" && !actor.demo ? null : "FORBIDDEN";
}

/** Own API tokens: members and admins, with scopes their role allows. */
export function canManageOwnTokens(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind !== "user" || actor.demo || actor.userId === null) return "FORBIDDEN";
  return actor.role === "viewer" ? "FORBIDDEN" : null;
}

/** The scopes a user may put on a token: never more than the user may do. */
export function grantableScopes(role: UserRole): TokenScope[] {
  return role === "admin" ? ["metrics:read", "kpis:write"] : ["metrics:read"];
}

/** What a signed-in person's navigation offers. */
export function menuFor(actor: Actor): { settings: boolean; tokens: boolean } {
  return { settings: canAdminister(actor) === null, tokens: canManageOwnTokens(actor) === null };
}
