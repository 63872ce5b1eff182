// Invites (a link that makes one account, once) and what admins change on accounts: roles, team
// limits, disabling. Through the services, with actors made the way the app makes them.
import { createHash } from "node:crypto";
import postgres from "postgres";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorForSession } from "../../lib/auth/actors";
import { verifyPassword } from "../../lib/auth/passwords";
import { ANONYMOUS, SYSTEM, type Actor } from "../../lib/auth/permissions";
import { openDatabase, type Database } from "../../lib/db/client";
import { getUserByEmail, type UserRow } from "../../lib/db/queries/users";
import { invites } from "../../lib/db/schema";
import { env } from "../../lib/env";
import { AppError } from "../../lib/errors";
import { importHistory } from "../../lib/ingest/history";
import { changeUserRole, changeUserTeams, listAccounts, setUserDisabled } from "../../lib/services/accounts";
import { getDashboard } from "../../lib/services/dashboard";
import { acceptInvite, createInvite, getInvite, listInvites, revokeInvite } from "../../lib/services/invites";
import { listVisibleTeams } from "../../lib/services/teams";
import { contextOf, makeUser, userActor } from "../helpers/accounts";
import { engines, uniqueKey, type Engine } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

const PASSWORD = "a long enough password";
const tokenOf = (path: string) => path.slice("/invite/".length);
const newEmail = () => `${uniqueKey("invitee")}@example.com`;

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
}

/** A database with no other test's accounts in it: "the last admin" is about every admin there is. */
async function ownDatabase(engine: Engine): Promise<{ database: Database; drop(): Promise<void> }> {
  const url = env().DATABASE_URL;
  if (engine.name === "pglite" || !url) {
    const database = await openDatabase({ dataDir: "memory://" });
    return { database, drop: () => database.close() };
  }
  const name = `throughline_inv_${uniqueKey("own").replace(/-/g, "_")}`;
  const server = postgres(url, { max: 1, onnotice: () => {} });
  await server.unsafe(`create database "${name}"`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  const database = await openDatabase({ url: own.toString(), max: 4 });
  return {
    database,
    drop: async () => {
      await database.close();
      await server.unsafe(`drop database if exists "${name}" with (force)`);
      await server.end();
    },
  };
}

describe.each(engines())("invites and account changes on $name", (engine) => {
  let database: Database;
  let admin: UserRow;
  const teamA = uniqueKey("inv-alpha");
  const teamB = uniqueKey("inv-bravo");

  beforeAll(async () => {
    database = await engine.open();
    for (const [team, prefix] of [
      [teamA, "ALPHA"],
      [teamB, "BRAVO"],
    ] as const) {
      await importHistory(
        database.db,
        sourceOf(historyDoc(team, "UTC", [{ key: `${prefix}-1`, transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }, { at: "2026-03-04T09:00:00Z", to: "Done" }] }])),
      );
    }
    admin = await makeUser(database, "admin");
  });
  afterAll(async () => database?.close());

  const as = (actor: Actor, now = new Date()) => contextOf(database, actor, now);
  const asAdmin = async (now = new Date()) => as(await userActor(database, admin), now);

  it("makes a viewer limited to one team, who then sees only that team", async () => {
    const email = newEmail();
    const now = new Date();
    const invite = await createInvite(await asAdmin(now), { email, role: "viewer", teams: [teamA] });
    expect(invite).toMatchObject({ email, role: "viewer", teams: [teamA] });
    expect(invite.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{32}$/);
    const token = tokenOf(invite.path);
    // Only the token's hash is stored; the invite lasts 7 days.
    const [row] = await database.db.select().from(invites).where(eq(invites.id, invite.id));
    expect(row!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - now.getTime()).toBe(7 * 86_400_000);
    expect((await listInvites(await asAdmin())).map((i) => i.email)).toContain(email);

    expect(await getInvite(as(ANONYMOUS), token)).toMatchObject({ email, role: "viewer" });
    const user = await acceptInvite(as(ANONYMOUS), token, { name: "Ivy Invited", password: PASSWORD });
    expect(user).toMatchObject({ email, name: "Ivy Invited", role: "viewer" });
    expect(await verifyPassword((await getUserByEmail(database.db, email))!.passwordHash, PASSWORD)).toBe(true);

    const actor = await actorForSession(database.db, database.engine, { userId: user.id });
    expect(actor).toMatchObject({ kind: "user", role: "viewer", name: "Ivy Invited" });
    expect((await listVisibleTeams(as(actor))).map((t) => t.key)).toEqual([teamA]);
    expect(await statusOf(getDashboard(as(actor), teamA, { from: "2026-03-01", to: "2026-03-31" }))).toBe(200);
    expect(await statusOf(getDashboard(as(actor), teamB, { from: "2026-03-01", to: "2026-03-31" }))).toBe(404);
    expect((await listInvites(await asAdmin())).map((i) => i.email)).not.toContain(email);
  });

  it("an invite for every team makes an account that sees every team", async () => {
    const invite = await createInvite(await asAdmin(), { email: newEmail(), role: "member" });
    const user = await acceptInvite(as(ANONYMOUS), tokenOf(invite.path), { name: "Max Member", password: PASSWORD });
    const actor = await actorForSession(database.db, database.engine, { userId: user.id });
    expect(actor).toMatchObject({ kind: "user", role: "member", teams: "all" });
  });

  it("is used once: the second acceptance answers 410, also when both arrive at once", async () => {
    const first = await createInvite(await asAdmin(), { email: newEmail(), role: "viewer" });
    await acceptInvite(as(ANONYMOUS), tokenOf(first.path), { name: "Once", password: PASSWORD });
    expect(await statusOf(acceptInvite(as(ANONYMOUS), tokenOf(first.path), { name: "Twice", password: PASSWORD }))).toBe(410);
    expect(await statusOf(getInvite(as(ANONYMOUS), tokenOf(first.path)))).toBe(410);

    const raced = await createInvite(await asAdmin(), { email: newEmail(), role: "viewer" });
    const statuses = await Promise.all([1, 2, 3].map((n) => statusOf(acceptInvite(as(ANONYMOUS), tokenOf(raced.path), { name: `Racer ${n}`, password: PASSWORD }))));
    expect(statuses.sort()).toEqual([200, 410, 410]);
    expect((await getUserByEmail(database.db, raced.email))!.name).toMatch(/^Racer \d$/);
  });

  it("answers 410 for an expired or revoked invite and 404 for an unknown one", async () => {
    const longAgo = new Date(Date.now() - 8 * 86_400_000);
    const expired = await createInvite(await asAdmin(longAgo), { email: newEmail(), role: "viewer" });
    expect(await statusOf(getInvite(as(ANONYMOUS), tokenOf(expired.path)))).toBe(410);
    expect(await statusOf(acceptInvite(as(ANONYMOUS), tokenOf(expired.path), { name: "Late", password: PASSWORD }))).toBe(410);
    expect(await getUserByEmail(database.db, expired.email)).toBeNull();

    const revoked = await createInvite(await asAdmin(), { email: newEmail(), role: "viewer" });
    await revokeInvite(await asAdmin(), revoked.id);
    expect(await statusOf(getInvite(as(ANONYMOUS), tokenOf(revoked.path)))).toBe(410);
    expect(await statusOf(revokeInvite(await asAdmin(), revoked.id))).toBe(404);

    expect(await statusOf(getInvite(as(ANONYMOUS), "A".repeat(32)))).toBe(404);
    expect(await statusOf(getInvite(as(ANONYMOUS), "../../etc/passwd"))).toBe(404);
    expect(await statusOf(acceptInvite(as(ANONYMOUS), "A".repeat(32), { name: "Nobody", password: PASSWORD }))).toBe(404);
  });

  it("replaces an open invite for the same email: only the newest link works", async () => {
    const email = newEmail();
    const older = await createInvite(await asAdmin(), { email, role: "viewer" });
    const newer = await createInvite(await asAdmin(), { email: email.toUpperCase(), role: "member" });
    expect(await statusOf(getInvite(as(ANONYMOUS), tokenOf(older.path)))).toBe(410);
    expect(await getInvite(as(ANONYMOUS), tokenOf(newer.path))).toMatchObject({ email, role: "member" });
    expect((await listInvites(await asAdmin())).filter((i) => i.email === email)).toHaveLength(1);
  });

  it("checks what the invitee types: a short password is bad input and leaves the invite open", async () => {
    const invite = await createInvite(await asAdmin(), { email: newEmail(), role: "viewer" });
    await expect(acceptInvite(as(ANONYMOUS), tokenOf(invite.path), { name: "Short", password: "short" })).rejects.toMatchObject({ status: 400, message: /password/ });
    expect(await statusOf(getInvite(as(ANONYMOUS), tokenOf(invite.path)))).toBe(200);
  });

  it("lets only admins (and the system) invite: 403 for members and viewers, 401 for nobody", async () => {
    const member = await userActor(database, await makeUser(database, "member", [teamA]));
    const viewer = await userActor(database, await makeUser(database, "viewer", [teamA]));
    expect(await statusOf(createInvite(as(member), { email: newEmail(), role: "viewer" }))).toBe(403);
    expect(await statusOf(createInvite(as(viewer), { email: newEmail(), role: "viewer" }))).toBe(403);
    expect(await statusOf(createInvite(as(ANONYMOUS), { email: newEmail(), role: "viewer" }))).toBe(401);
    expect(await statusOf(createInvite(as(SYSTEM), { email: newEmail(), role: "viewer" }))).toBe(200);
    expect(await statusOf(listInvites(as(member)))).toBe(403);
    expect(await statusOf(revokeInvite(as(member), 1))).toBe(403);
  });

  it("refuses an invite for an email with an account, or for an unknown team", async () => {
    const taken = await makeUser(database, "viewer");
    await expect(createInvite(await asAdmin(), { email: taken.email.toUpperCase(), role: "viewer" })).rejects.toMatchObject({ status: 400, message: /exists already/ });
    await expect(createInvite(await asAdmin(), { email: newEmail(), role: "viewer", teams: ["no-such-team"] })).rejects.toMatchObject({ status: 400, message: /no-such-team/ });
    await expect(createInvite(await asAdmin(), { email: "not an email", role: "viewer" })).rejects.toMatchObject({ status: 400 });
    await expect(createInvite(await asAdmin(), { email: newEmail(), role: "owner" })).rejects.toMatchObject({ status: 400 });
  });

  it("changes a user's role and team limit, counted at their next request", async () => {
    const user = await makeUser(database, "viewer", [teamA]);
    const ctx = await asAdmin();
    expect(await changeUserRole(ctx, user.id, "member")).toMatchObject({ id: user.id, role: "member" });
    expect(await actorForSession(database.db, database.engine, { userId: user.id })).toMatchObject({ role: "member", teams: [expect.any(Number)] });
    await changeUserTeams(ctx, user.id, [teamB]);
    const limited = await actorForSession(database.db, database.engine, { userId: user.id });
    expect((await listVisibleTeams(as(limited))).map((t) => t.key)).toEqual([teamB]);
    await changeUserTeams(ctx, user.id, "all");
    expect(await actorForSession(database.db, database.engine, { userId: user.id })).toMatchObject({ teams: "all" });
    expect((await listAccounts(ctx)).find((u) => u.id === user.id)).toMatchObject({ role: "member", teams: "all" });

    expect(await statusOf(changeUserRole(ctx, user.id, "owner"))).toBe(400);
    expect(await statusOf(changeUserRole(ctx, 2_000_000_000, "viewer"))).toBe(404);
    expect(await statusOf(changeUserTeams(ctx, user.id, ["no-such-team"]))).toBe(400);
    const member = await userActor(database, user);
    expect(await statusOf(changeUserRole(as(member), user.id, "admin"))).toBe(403);
    expect(await statusOf(changeUserTeams(as(member), user.id, "all"))).toBe(403);
    expect(await statusOf(changeUserRole(as(ANONYMOUS), user.id, "admin"))).toBe(401);
  });

  it("drops a disabled user's session at their next request, and lets them back when enabled", async () => {
    const user = await makeUser(database, "member", [teamA]);
    const ctx = await asAdmin();
    expect(await setUserDisabled(ctx, user.id, true)).toMatchObject({ disabled: true });
    expect(await actorForSession(database.db, database.engine, { userId: user.id })).toEqual(ANONYMOUS);
    expect(await setUserDisabled(ctx, user.id, false)).toMatchObject({ disabled: false });
    expect(await actorForSession(database.db, database.engine, { userId: user.id })).toMatchObject({ kind: "user", userId: user.id });
    // Nobody disables themselves; others may not disable at all.
    await expect(setUserDisabled(ctx, admin.id, true)).rejects.toMatchObject({ status: 403, message: "You cannot disable your own account." });
    expect(await statusOf(setUserDisabled(as(await userActor(database, user)), admin.id, true))).toBe(403);
    expect(await actorForSession(database.db, database.engine, { userId: admin.id })).toMatchObject({ kind: "user", role: "admin" });
  });

  describe("the last admin", () => {
    let own: Awaited<ReturnType<typeof ownDatabase>>;
    beforeAll(async () => {
      own = await ownDatabase(engine);
    });
    afterAll(async () => own?.drop());

    it("cannot demote themselves (nor be disabled); with a second admin they can", async () => {
      const only = await makeUser(own.database, "admin");
      const ctx = contextOf(own.database, await userActor(own.database, only));
      await expect(changeUserRole(ctx, only.id, "member")).rejects.toMatchObject({ status: 403, code: "FORBIDDEN", message: /^You are the last admin: make someone else an admin first/ });
      expect(await statusOf(setUserDisabled(contextOf(own.database, SYSTEM), only.id, true))).toBe(403);
      expect(await statusOf(changeUserRole(contextOf(own.database, SYSTEM), only.id, "viewer"))).toBe(403);
      expect(await statusOf(changeUserRole(ctx, only.id, "admin"))).toBe(200);

      const second = await makeUser(own.database, "admin");
      expect(await changeUserRole(ctx, only.id, "member")).toMatchObject({ role: "member" });
      // Now the second is the last one: a disabled admin does not count.
      const secondCtx = contextOf(own.database, await userActor(own.database, second));
      await changeUserRole(secondCtx, only.id, "admin");
      await setUserDisabled(secondCtx, only.id, true);
      expect(await statusOf(changeUserRole(secondCtx, second.id, "viewer"))).toBe(403);
      await setUserDisabled(secondCtx, only.id, false);
    });

    it("is never demoted by two admins demoting each other at once", async () => {
      const { users } = await import("../../lib/db/schema");
      await own.database.db.update(users).set({ role: "viewer" }).where(eq(users.role, "admin"));
      const a = await makeUser(own.database, "admin");
      const b = await makeUser(own.database, "admin");
      const asA = contextOf(own.database, await userActor(own.database, a));
      const asB = contextOf(own.database, await userActor(own.database, b));
      const both = () => Promise.all([statusOf(changeUserRole(asA, b.id, "member")), statusOf(changeUserRole(asB, a.id, "member"))]);
      let statuses: number[];
      if (own.database.url) {
        // Hold the admins' rows from another connection, so both changes are surely under way at once.
        const other = postgres(own.database.url, { max: 1, onnotice: () => {} });
        let racing: Promise<number[]> = Promise.resolve([]);
        await other.begin(async (tx) => {
          await tx`select id from users where role = 'admin' for update`;
          racing = both();
          await new Promise((resolve) => setTimeout(resolve, 300));
        });
        statuses = await racing;
        await other.end();
      } else {
        statuses = await both();
      }
      expect(statuses.sort()).toEqual([200, 403]);
      const admins = (await listAccounts(contextOf(own.database, SYSTEM))).filter((u) => u.role === "admin");
      expect(admins).toHaveLength(1);
    });
  });
});
