// Settings: schedules, import runs, users and the demo switch for admins; API tokens for their owners.
import "server-only";
import { createApiToken, listApiTokens, revokeApiToken } from "../auth/api-tokens";
import { DEMO_SETTING, isDemoOffered } from "../auth/actors";
import { canAdminister, canManageOwnTokens, grantableScopes, type Actor } from "../auth/permissions";
import { TOKEN_SCOPES, type TokenScope } from "../db/schema/access";
import { putSetting } from "../db/queries/users";
import { AppError } from "../errors";
import { listImportRuns } from "../ingest/runs";
import { runningAppScheduler } from "../jobs/app-scheduler";
import { listSchedules, runScheduledImport } from "../jobs/scheduled-import";
import { createSchedule as storeSchedule, setScheduleEnabled } from "../jobs/schedules";
import { allow, type ServiceContext } from "./context";

export async function getSettingsView(ctx: ServiceContext) {
  allow(canAdminister(ctx.actor));
  const [schedules, runs, tokens, demo] = await Promise.all([listSchedules(ctx.db), listImportRuns(ctx.db, 50), listApiTokens(ctx.db), isDemoOffered(ctx.db, ctx.engine)]);
  return { schedules, runs, tokens, demo };
}

export async function createSchedule(ctx: ServiceContext, input: unknown) {
  allow(canAdminister(ctx.actor));
  const schedule = await storeSchedule(ctx.db, input);
  await (await runningAppScheduler())?.sync();
  return schedule;
}

export async function runScheduleNow(ctx: ServiceContext, id: number) {
  allow(canAdminister(ctx.actor));
  const scheduler = await runningAppScheduler();
  // Through the queue when a scheduler runs here (retries included); else once, directly.
  if (scheduler) await scheduler.runNow(id);
  else await runScheduledImport(ctx.db, id).catch(() => {});
}

/** Runs a schedule once in this process, no retries (the CLI's `schedule run`). */
export async function runScheduleHere(ctx: ServiceContext, id: number) {
  allow(canAdminister(ctx.actor));
  return runScheduledImport(ctx.db, id);
}

export async function listImportSchedules(ctx: ServiceContext) {
  allow(canAdminister(ctx.actor));
  return listSchedules(ctx.db);
}

export async function setScheduleOn(ctx: ServiceContext, id: number, enabled: boolean) {
  allow(canAdminister(ctx.actor));
  await setScheduleEnabled(ctx.db, id, enabled);
  await (await runningAppScheduler())?.sync();
}

export async function setDemoOffered(ctx: ServiceContext, offered: boolean) {
  allow(canAdminister(ctx.actor));
  await putSetting(ctx.db, DEMO_SETTING, offered);
}

function ownerOf(actor: Actor): { userId: number; role: "admin" | "member" | "viewer" } {
  if (actor.kind !== "user" || actor.userId === null) throw new AppError("FORBIDDEN", "Only a signed-in account has API tokens.");
  return { userId: actor.userId, role: actor.role };
}

/** The caller's own tokens (admins see every token in the settings view). */
export async function listOwnTokens(ctx: ServiceContext) {
  allow(canManageOwnTokens(ctx.actor));
  return listApiTokens(ctx.db, ownerOf(ctx.actor).userId);
}

export async function createOwnToken(ctx: ServiceContext, input: { name: string; scopes: readonly string[] }) {
  allow(canManageOwnTokens(ctx.actor));
  const owner = ownerOf(ctx.actor);
  const name = input.name.trim();
  if (!name) throw new AppError("INVALID_INPUT", "Give the token a name (who or what uses it).", [{ where: "name", message: "is required" }]);
  const unknown = input.scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new AppError("INVALID_INPUT", `Unknown scope ${unknown[0]}: use ${TOKEN_SCOPES.join(" or ")}.`, [{ where: "scopes", message: "unknown scope" }]);
  const scopes = input.scopes as TokenScope[];
  if (scopes.length === 0) throw new AppError("INVALID_INPUT", "Choose at least one scope.", [{ where: "scopes", message: "is required" }]);
  const beyond = scopes.filter((s) => !grantableScopes(owner.role).includes(s));
  if (beyond.length) throw new AppError("FORBIDDEN", `Your role cannot grant ${beyond.join(", ")}: a token never does more than its owner.`);
  return { name, ...(await createApiToken(ctx.db, { name, userId: owner.userId, scopes })) };
}

/** Members revoke their own tokens; admins any. Another's token looks like no token. */
export async function revokeToken(ctx: ServiceContext, id: number) {
  allow(canManageOwnTokens(ctx.actor));
  const owner = ownerOf(ctx.actor);
  const revoked = await revokeApiToken(ctx.db, id, owner.role === "admin" ? undefined : owner.userId);
  if (!revoked) throw new AppError("NOT_FOUND", "No such live token.");
}

export async function getAccountView(ctx: ServiceContext) {
  allow(canManageOwnTokens(ctx.actor));
  const owner = ownerOf(ctx.actor);
  return { name: ctx.actor.kind === "user" ? ctx.actor.name : "", role: owner.role, scopes: grantableScopes(owner.role), tokens: await listApiTokens(ctx.db, owner.userId) };
}
