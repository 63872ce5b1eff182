// Invites: an admin makes a link (mail may not be set up) for one email, role and team limit; the
// invitee opens it, picks a name and password, and the account exists. Used once, 7 days at most.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { hashPassword } from "../auth/passwords";
import { canAdminister } from "../auth/permissions";
import { claimInvite, expireInvite, expireOpenInvitesFor, getInviteByTokenHash, insertInvite, listOpenInvites, type InviteRow } from "../db/queries/invites";
import { listTeams } from "../db/queries/teams";
import { getUserByEmail, insertUser, setUserTeams } from "../db/queries/users";
import { AppError, invalidInput } from "../errors";
import { NewUserInput, resolveTeamKeys } from "./accounts";
import { allow, type ServiceContext } from "./context";

export const InviteInput = NewUserInput.pick({ email: true, role: true, teams: true });
export const AcceptInviteInput = NewUserInput.pick({ name: true, password: true }).required({ password: true });

const LIFETIME_MS = 7 * 24 * 3600 * 1000;
/** 24 random bytes in base64url: 192 bits. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const gone = () => new AppError("GONE", "This invite has been used or has expired: ask an admin for a new one.");

/**
 * An admin invites someone; the link's path (with its secret) is returned this once only. It
 * replaces any open invite for that email, so a link thought lost stops working.
 */
export async function createInvite(ctx: ServiceContext, input: unknown) {
  allow(canAdminister(ctx.actor));
  const parsed = InviteInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { email, role, teams } = parsed.data;
  if (await getUserByEmail(ctx.db, email)) throw new AppError("INVALID_INPUT", `An account for ${email} exists already.`, [{ where: "email", message: "taken" }]);
  const teamIds = teams === undefined ? null : await resolveTeamKeys(ctx, teams);
  const token = randomBytes(24).toString("base64url");
  const row = await ctx.db.transaction(async (tx) => {
    await expireOpenInvitesFor(tx, email, ctx.now);
    return insertInvite(tx, {
      tokenHash: hashInviteToken(token),
      email,
      role,
      teamIds,
      createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      createdAt: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + LIFETIME_MS),
    });
  });
  return { id: row.id, email: row.email, role: row.role, teams: teams ?? ("all" as const), expiresAt: row.expiresAt, path: `/invite/${token}` };
}

async function findInvite(ctx: ServiceContext, token: string): Promise<InviteRow> {
  const invite = TOKEN_PATTERN.test(token) ? await getInviteByTokenHash(ctx.db, hashInviteToken(token)) : null;
  if (!invite) throw new AppError("NOT_FOUND", "No such invite: check the link, or ask an admin for a new one.");
  if (invite.usedAt || invite.expiresAt <= ctx.now) throw gone();
  return invite;
}

/** What the invite page shows anyone holding the link: who is invited, as what. */
export async function getInvite(ctx: ServiceContext, token: string) {
  const invite = await findInvite(ctx, token);
  return { email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
}

/**
 * The invitee makes the account: email, role and teams from the invite. Creating it and using the
 * invite up are one transaction, so an invite makes one account, also when accepted twice at once.
 */
export async function acceptInvite(ctx: ServiceContext, token: string, input: unknown) {
  const parsed = AcceptInviteInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  await findInvite(ctx, token); // a dead link fails before the (slow) hash
  const passwordHash = await hashPassword(parsed.data.password);
  const teamIds = new Set((await listTeams(ctx.db)).map((t) => t.id));
  return ctx.db.transaction(async (tx) => {
    const invite = await claimInvite(tx, hashInviteToken(token), ctx.now);
    if (!invite) throw gone();
    const user = await insertUser(tx, { email: invite.email, name: parsed.data.name, passwordHash, role: invite.role, allTeams: invite.teamIds === null });
    if (!user) throw new AppError("INVALID_INPUT", `An account for ${invite.email} exists already: sign in instead.`, [{ where: "email", message: "taken" }]);
    // A team deleted since the invite was made is simply left out.
    await setUserTeams(tx, user.id, (invite.teamIds ?? []).filter((id) => teamIds.has(id)));
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  });
}

/** Open invites (not used, not expired) with their team limits by key. */
export async function listInvites(ctx: ServiceContext) {
  allow(canAdminister(ctx.actor));
  const [rows, teams] = await Promise.all([listOpenInvites(ctx.db, ctx.now), listTeams(ctx.db)]);
  const keyOf = new Map(teams.map((t) => [t.id, t.key]));
  return rows.map(({ teamIds, ...invite }) => ({
    ...invite,
    teams: teamIds === null ? ("all" as const) : teamIds.flatMap((id) => keyOf.get(id) ?? []),
  }));
}

/** Ends an open invite now: its link stops working at once. */
export async function revokeInvite(ctx: ServiceContext, id: number) {
  allow(canAdminister(ctx.actor));
  if (!(await expireInvite(ctx.db, id, ctx.now))) throw new AppError("NOT_FOUND", "No such open invite.");
}
