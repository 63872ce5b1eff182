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
  /** A share link: exactly one frozen view of one team, served only by lib/services/share-links.ts. */
  | { kind: "share"; linkId: number; teamId: number }
  /** The CLI and scheduled jobs on the server itself. */
  | { kind: "system" };

export const ANONYMOUS: Actor = { kind: "anonymous" };
export const SYSTEM: Actor = { kind: "system" };

export type Refusal = "UNAUTHORIZED" | "TEAM_NOT_FOUND" | "FORBIDDEN";

/** Admins and the system see every team; others their own. */
export function seesTeam(actor: Actor, teamId: number): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "anonymous" || actor.kind === "share") return false;
  if (actor.role === "admin" || actor.teams === "all") return true;
  return actor.teams.includes(teamId);
}

/** Reading a team's dashboard, items, metrics and outcomes. Null: allowed. */
export function canReadTeam(actor: Actor, teamId: number): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  // A share link reaches its own view only, never a page or route of the app.
  if (actor.kind === "share") return "TEAM_NOT_FOUND";
  if (actor.kind === "token" && !actor.scopes.includes("metrics:read")) return "FORBIDDEN";
  // Outside the caller's teams is "not found", so nobody learns which teams exist.
  return seesTeam(actor, teamId) ? null : "TEAM_NOT_FOUND";
}

/** Team lists and the overview: every signed-in actor, filtered to the teams it sees. */
export function canListTeams(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "share") return "TEAM_NOT_FOUND";
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
  if (actor.kind === "share") return "FORBIDDEN";
  if (actor.kind === "token" && !actor.scopes.includes("kpis:write")) return "FORBIDDEN";
  return actor.role === "admin" ? null : "FORBIDDEN";
}

/** Settings: users, roles, invites, sources, schedules, every token. Admins only; tokens never. */
export function canAdminister(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "system") return null;
  if (actor.kind === "token" || actor.kind === "share") return "FORBIDDEN";
  return actor.role === "admin" && !actor.demo ? null : "FORBIDDEN";
}

/** Own API tokens: members and admins, with scopes their role allows. */
export function canManageOwnTokens(actor: Actor): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind !== "user" || actor.demo || actor.userId === null) return "FORBIDDEN";
  return actor.role === "viewer" ? "FORBIDDEN" : null;
}

/** A signed-in member (of the team) or admin: who annotates and shares. Tokens, viewers, the demo: no. */
function memberOfTeam(actor: Actor, teamId: number): Refusal | null {
  if (actor.kind === "anonymous") return "UNAUTHORIZED";
  if (actor.kind === "system") return null;
  if (actor.kind !== "user") return actor.kind === "share" ? "TEAM_NOT_FOUND" : "FORBIDDEN";
  if (!seesTeam(actor, teamId)) return "TEAM_NOT_FOUND";
  return actor.role === "viewer" || actor.demo || actor.userId === null ? "FORBIDDEN" : null;
}

/** Annotations are read with the team they belong to. */
export function canReadAnnotations(actor: Actor, teamId: number): Refusal | null {
  return canReadTeam(actor, teamId);
}

/** Members annotate their own teams; admins any team. */
export function canCreateAnnotation(actor: Actor, teamId: number): Refusal | null {
  return memberOfTeam(actor, teamId);
}

/** Its author (a member who still sees the team) or an admin edits or deletes an annotation. */
export function canEditAnnotation(actor: Actor, teamId: number, authorId: number | null): Refusal | null {
  const refusal = memberOfTeam(actor, teamId);
  if (refusal || actor.kind !== "user") return refusal;
  return actor.role === "admin" || (authorId !== null && authorId === actor.userId) ? null : "FORBIDDEN";
}

/** Members share views of their own teams; admins any view. */
export function canCreateShareLink(actor: Actor, teamId: number): Refusal | null {
  return memberOfTeam(actor, teamId);
}

/** Members revoke the links they made; admins any link. */
export function canRevokeShareLink(actor: Actor, teamId: number, creatorId: number | null): Refusal | null {
  return canEditAnnotation(actor, teamId, creatorId);
}

/** Roadblocks (reports and their decisions) are read with the team they block. */
export function canReadRoadblocks(actor: Actor, teamId: number): Refusal | null {
  return canReadTeam(actor, teamId);
}

/** Members report roadblocks on their own teams' items; admins on any team's. */
export function canReportRoadblock(actor: Actor, teamId: number): Refusal | null {
  return memberOfTeam(actor, teamId);
}

/** A reviewer answers (or reopens) a roadblock: an admin, or a member of the blocked team. */
export function canDecideRoadblock(actor: Actor, teamId: number): Refusal | null {
  return memberOfTeam(actor, teamId);
}

/** A team's decisions log is read with the team. */
export function canReadDecisions(actor: Actor, teamId: number): Refusal | null {
  return canReadTeam(actor, teamId);
}

/** Members record decisions for their own teams; admins for any team. */
export function canRecordDecision(actor: Actor, teamId: number): Refusal | null {
  return memberOfTeam(actor, teamId);
}

/** The scopes a user may put on a token: never more than the user may do. */
export function grantableScopes(role: UserRole): TokenScope[] {
  return role === "admin" ? ["metrics:read", "kpis:write"] : ["metrics:read"];
}

/** What a signed-in person's navigation offers. */
export function menuFor(actor: Actor): { settings: boolean; tokens: boolean; shares: boolean } {
  const member = actor.kind === "user" && actor.role !== "viewer" && !actor.demo;
  return { settings: canAdminister(actor) === null, tokens: canManageOwnTokens(actor) === null, shares: member };
}
