// Turning a credential into an actor: a session's user id, an API token, the demo visitor. The
// user row is read on every request, so a role change or a disabled account counts at once.
import "server-only";
import type { Db } from "../db/client";
import { countUsers, getActiveUser, getSetting, listUserTeamIds, type UserRow } from "../db/queries/users";
import { env } from "../env";
import { authenticateApiToken } from "./api-tokens";
import { ANONYMOUS, type Actor, type Principal } from "./permissions";

export async function principalOf(db: Db, user: UserRow): Promise<Principal> {
  const teams = user.role === "admin" || user.allTeams ? "all" : await listUserTeamIds(db, user.id);
  return { userId: user.id, name: user.name, role: user.role, teams };
}

export const DEMO_PRINCIPAL: Principal = { userId: null, name: "Demo visitor", role: "viewer", teams: "all", demo: true };

/** The actor of a signed-in session: its user, or the demo visitor while the demo is offered. */
export async function actorForSession(db: Db, engine: "postgres" | "pglite", session: { userId?: number; demo?: boolean } | null): Promise<Actor> {
  if (!session) return ANONYMOUS;
  if (session.demo) return (await isDemoOffered(db, engine)) ? { kind: "user", ...DEMO_PRINCIPAL } : ANONYMOUS;
  if (!session.userId) return ANONYMOUS;
  const user = await getActiveUser(db, session.userId);
  return user ? { kind: "user", ...(await principalOf(db, user)) } : ANONYMOUS;
}

/** The actor of an `Authorization: Bearer` header; anonymous when the token does not authenticate. */
export async function actorForBearer(db: Db, authorization: string): Promise<Actor> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return ANONYMOUS;
  const token = await authenticateApiToken(db, match[1]!);
  if (!token) return ANONYMOUS;
  const owner = await getActiveUser(db, token.userId);
  if (!owner) return ANONYMOUS;
  return { kind: "token", tokenId: token.id, scopes: token.scopes, ...(await principalOf(db, owner)) };
}

export const DEMO_SETTING = "demo_offered";
export const DEMO_DATA_SETTING = "demo_data_loaded";

/**
 * "Explore the demo" is offered on the embedded database holding the demo data, or wherever
 * THROUGHLINE_DEMO=1 says so, until an admin turns it off (or on).
 */
export async function isDemoOffered(db: Db, engine: "postgres" | "pglite"): Promise<boolean> {
  const chosen = await getSetting<boolean>(db, DEMO_SETTING);
  if (chosen !== undefined) return chosen;
  if (env().THROUGHLINE_DEMO) return true;
  return engine === "pglite" && (await getSetting<boolean>(db, DEMO_DATA_SETTING)) === true;
}

export async function needsSetup(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0;
}
