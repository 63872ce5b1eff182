// Accounts: the first admin on a fresh install, and users an admin adds.
import "server-only";
import { z } from "zod";
import { isDemoOffered, needsSetup } from "../auth/actors";
import { externalProviders } from "../auth/providers";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../auth/passwords";
import { canAdminister, menuFor } from "../auth/permissions";
import { countUsers, insertUser, setUserTeams } from "../db/queries/users";
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
  const teamIds: number[] = [];
  for (const key of u.teams ?? []) {
    const team = await getTeamByKey(ctx.db, key);
    if (!team) throw new AppError("INVALID_INPUT", `No team with key "${key}".`, [{ where: "teams", message: `unknown team ${key}` }]);
    teamIds.push(team.id);
  }
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
