// Accounts and service contexts for tests: the same credentials-to-actor path the app uses.
import { actorForBearer, principalOf } from "../../lib/auth/actors";
import { createApiToken } from "../../lib/auth/api-tokens";
import type { Actor } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { insertUser, setUserTeams, type UserRow } from "../../lib/db/queries/users";
import type { TokenScope, UserRole } from "../../lib/db/schema";
import type { ServiceContext } from "../../lib/services/context";
import { uniqueKey } from "./db";

export function contextOf(database: Database, actor: Actor, now = new Date()): ServiceContext {
  return { db: database.db, engine: database.engine, actor, now };
}

/** A user with a role, limited to the given team keys (or seeing every team). */
export async function makeUser(database: Database, role: UserRole, teamKeys?: string[]): Promise<UserRow> {
  const user = await insertUser(database.db, { email: `${uniqueKey(role)}@example.com`, name: `Test ${role}`, passwordHash: null, role, allTeams: teamKeys === undefined });
  const ids = [];
  for (const key of teamKeys ?? []) ids.push((await getTeamByKey(database.db, key))!.id);
  await setUserTeams(database.db, user!.id, ids);
  return user!;
}

export async function userActor(database: Database, user: UserRow): Promise<Actor> {
  return { kind: "user", ...(await principalOf(database.db, user)) };
}

/** A token of the user's, and the header that sends it. */
export async function makeToken(database: Database, user: UserRow, scopes: TokenScope[]) {
  const { id, token } = await createApiToken(database.db, { name: uniqueKey("token"), userId: user.id, scopes });
  return { id, token, authorization: `Bearer ${token}`, actor: () => actorForBearer(database.db, `Bearer ${token}`) };
}
