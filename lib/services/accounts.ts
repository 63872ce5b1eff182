// Accounts: the first admin on a fresh install, users an admin adds, their roles, teams and state.
import "server-only";
import { z } from "zod";
import { isDemoOffered, needsSetup } from "../auth/actors";
import { externalProviders } from "../auth/providers";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../auth/passwords";
import { canAdminister, menuFor } from "../auth/permissions";
import { countUsers, getUserById, insertUser, listUsers, listUserTeamKeys, lockActiveAdminIds, setUserTeams, updateUserAccess, type UserRow } from "../db/queries/users";
import { getTeamByKey } from "../db/queries/teams";
import { AppError, invalidInput } from "../errors";
import { allow, type ServiceContext } from "./context";

export const NewUserInput = z.object({
  email: z.email({ error: "must be an email address" }).max(320),
  name: z.string().trim().min(1, { error: "is required" }).max(200),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
    .max(1024, { error: "may be at most 1024 characters" })
    .optional(),
  role: z.enum(["admin", "member", "viewer"], { error: "must be admin, member or viewer" }).default("viewer"),
  /** Team keys the user is limited to; absent: every team. */
  teams: z.array(z.string().min(1)).optional(),
});

export { needsSetup };

/** First run: the first account, an admin. Refused as soon as any account exists. */
export async function setupFirstAdmin(ctx: ServiceContext, input: unknown) {
  const parsed = NewUserInput.omit({ role: true, teams: true }).required({ password: true }).safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  if ((await countUsers(ctx.db)) > 0) throw new AppError("FORBIDDEN", "Throughline is already set up: sign in instead.");
  const passwordHash = await hashPassword(parsed.data.password);
  const user = await insertUser(ctx.db, { email: parsed.data.email, name: parsed.data.name, passwordHash, role: "admin" });
  // Two first runs at once: the email is unique and the count is read again, so one of them wins.
  if (!user || (await countUsers(ctx.db)) > 1) throw new AppError("FORBIDDEN", "Throughline is already set up: sign in instead.");
  return user;
}

/** An admin (or the CLI) adds a user with a role, limited to some teams or not. */
export async function createUser(ctx: ServiceContext, input: unknown) {
  allow(canAdminister(ctx.actor));
  const parsed = NewUserInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const u = parsed.data;
  const teamIds = await resolveTeamKeys(ctx, u.teams ?? []);
  const user = await ctx.db.transaction(async (tx) => {
    const row = await insertUser(tx, {
      email: u.email,
      name: u.name,
      passwordHash: u.password ? await hashPassword(u.password) : null,
      role: u.role,
      allTeams: u.teams === undefined,
    });
    if (!row) throw new AppError("INVALID_INPUT", `An account for ${u.email} exists already.`, [{ where: "email", message: "taken" }]);
    await setUserTeams(tx, row.id, teamIds);
    return row;
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, teams: u.teams ?? "all" };
}

/** Team keys as ids, for a team limit; an unknown key is bad input. */
export async function resolveTeamKeys(ctx: ServiceContext, keys: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const key of keys) {
    const team = await getTeamByKey(ctx.db, key);
    if (!team) throw new AppError("INVALID_INPUT", `No team with key "${key}".`, [{ where: "teams", message: `unknown team ${key}` }]);
    if (!ids.includes(team.id)) ids.push(team.id);
  }
  return ids;
}

const RoleInput = NewUserInput.shape.role.unwrap();

/** Every account with its team limit ("all", or the keys of the teams it is limited to). */
export async function listAccounts(ctx: ServiceContext) {
  allow(canAdminister(ctx.actor));
  const [rows, teamKeys] = await Promise.all([listUsers(ctx.db), listUserTeamKeys(ctx.db)]);
  return rows.map((u) => ({ ...u, teams: u.allTeams ? ("all" as const) : teamKeys.filter((t) => t.userId === u.id).map((t) => t.key) }));
}

function accountOf(user: UserRow) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, disabled: user.disabledAt !== null };
}

/**
 * Inside a transaction: refuses a change that takes the last active admin away (the admins' rows
 * stay locked until it ends, so two such changes at once cannot both pass). The user, or NOT_FOUND.
 */
async function changeKeepingAnAdmin(ctx: ServiceContext, tx: ServiceContext["db"], userId: number, losesAdmin: boolean) {
  const admins = await lockActiveAdminIds(tx);
  const user = await getUserById(tx, userId);
  if (!user) throw new AppError("NOT_FOUND", "No such user.");
  if (losesAdmin && admins.includes(user.id) && admins.every((id) => id === user.id)) {
    const self = ctx.actor.kind === "user" && ctx.actor.userId === user.id;
    throw new AppError("FORBIDDEN", `${self ? "You are" : `${user.name} is`} the last admin: make someone else an admin first, so that someone can still manage Throughline.`);
  }
  return user;
}

/** An admin changes a user's role (their own too, unless they are the last admin). */
export async function changeUserRole(ctx: ServiceContext, userId: number, role: unknown) {
  allow(canAdminister(ctx.actor));
  const parsed = RoleInput.safeParse(role);
  if (!parsed.success) throw new AppError("INVALID_INPUT", "role: must be admin, member or viewer", [{ where: "role", message: "must be admin, member or viewer" }]);
  const next = parsed.data;
  return ctx.db.transaction(async (tx) => {
    await changeKeepingAnAdmin(ctx, tx, userId, next !== "admin");
    return accountOf((await updateUserAccess(tx, userId, { role: next }))!);
  });
}

/** An admin limits a user to some teams (by key), or lets them see every team ("all"). */
export async function changeUserTeams(ctx: ServiceContext, userId: number, teams: "all" | readonly string[]) {
  allow(canAdminister(ctx.actor));
  const teamIds = teams === "all" ? [] : await resolveTeamKeys(ctx, teams);
  return ctx.db.transaction(async (tx) => {
    const user = await updateUserAccess(tx, userId, { allTeams: teams === "all" });
    if (!user) throw new AppError("NOT_FOUND", "No such user.");
    await setUserTeams(tx, userId, teamIds);
    return { ...accountOf(user), teams: teams === "all" ? ("all" as const) : [...teams] };
  });
}

/** An admin disables (or enables again) another user; their session and tokens stop at once. */
export async function setUserDisabled(ctx: ServiceContext, userId: number, disabled: boolean) {
  allow(canAdminister(ctx.actor));
  if (disabled && ctx.actor.kind === "user" && ctx.actor.userId === userId) throw new AppError("FORBIDDEN", "You cannot disable your own account.");
  return ctx.db.transaction(async (tx) => {
    const user = await changeKeepingAnAdmin(ctx, tx, userId, disabled);
    const disabledAt = disabled ? (user.disabledAt ?? ctx.now) : null;
    return accountOf((await updateUserAccess(tx, userId, { disabledAt }))!);
  });
}

/** What the sign-in page offers: set-up on a fresh install, the demo, external providers. */
export async function getSignInOptions(ctx: ServiceContext) {
  const [setup, demo] = await Promise.all([needsSetup(ctx.db), isDemoOffered(ctx.db, ctx.engine)]);
  return { needsSetup: setup, demo, providers: externalProviders() };
}

/** What the top bar shows the actor. */
export function getNavigation(ctx: ServiceContext) {
  const a = ctx.actor;
  const signedIn = a.kind === "user";
  return { name: signedIn ? a.name : null, demo: signedIn && Boolean(a.demo), ...menuFor(a) };
}
