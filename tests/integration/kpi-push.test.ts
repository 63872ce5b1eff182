// The KPI push API: a live token with kpis:write of an admin is required, checked before the body
// is read; tokens are revocable; bad bodies store nothing.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorForBearer } from "../../lib/auth/actors";
import { listApiTokens, revokeApiToken } from "../../lib/auth/api-tokens";
import { queryRows, type Database } from "../../lib/db/client";
import { pushKpiPoints } from "../../lib/services/kpis";
import { contextOf, makeToken, makeUser } from "../helpers/accounts";
import { engines, uniqueKey } from "../helpers/db";

describe.each(engines())("KPI push on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  const count = async (kpi: string) =>
    (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from kpi_points p join kpis k on k.id = p.kpi_id where k.key = ${kpi}`))[0]!.n;
  const push = async (authorization: string, kpi: string, body: unknown) => pushKpiPoints(contextOf(database, await actorForBearer(database.db, authorization)), kpi, async () => body);

  it("stores points for a valid token, idempotently, and stores the token only hashed", async () => {
    const admin = await makeUser(database, "admin");
    const { id, token, authorization } = await makeToken(database, admin, ["kpis:write"]);
    const kpi = uniqueKey("signups");
    const body = { kpi: { name: "Signups", aggregation: "sum" }, points: [{ date: "2026-05-01", value: 3 }, { date: "2026-05-02", value: 4 }] };
    const first = await push(authorization, kpi, body);
    expect(first.counts).toMatchObject({ points: 2, changed: 2 });
    const again = await push(authorization, kpi, { points: body.points });
    expect(again.counts).toMatchObject({ points: 2, changed: 0, unchanged: 2 });
    expect(await count(kpi)).toBe(2);
    const stored = await queryRows<{ token_hash: string }>(database.db, sql`select token_hash from api_tokens where id = ${id}`);
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 401 without a live token and 403 without kpis:write or an admin owner — before reading the body", async () => {
    const admin = await makeUser(database, "admin");
    const member = await makeUser(database, "member");
    const live = await makeToken(database, admin, ["kpis:write"]);
    const readOnly = await makeToken(database, admin, ["metrics:read"]);
    const members = await makeToken(database, member, ["metrics:read", "kpis:write"]);
    const kpi = uniqueKey("mrr");
    let reads = 0;
    const body = async () => {
      reads++;
      return { kpi: { name: "MRR", aggregation: "last" }, points: [{ date: "2026-05-01", value: 3 }] };
    };
    const attempt = async (authorization: string) => pushKpiPoints(contextOf(database, await actorForBearer(database.db, authorization)), kpi, body);
    for (const authorization of ["", "Bearer nope", `Basic ${live.token}`]) {
      await expect(attempt(authorization)).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    }
    await expect(attempt(readOnly.authorization)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    // A token never does more than its owner: a member may not push, whatever the token says.
    await expect(attempt(members.authorization)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    await revokeApiToken(database.db, live.id);
    await expect(attempt(live.authorization)).rejects.toMatchObject({ status: 401 });
    expect(reads).toBe(0);
    expect((await listApiTokens(database.db)).find((t) => t.id === live.id)?.revokedAt).toBeInstanceOf(Date);
    expect(await count(kpi)).toBe(0);
  });

  it("answers 400 naming the field of a malformed body, and 404 for an undefined KPI — storing nothing", async () => {
    const admin = await makeUser(database, "admin");
    const { authorization } = await makeToken(database, admin, ["kpis:write"]);
    const kpi = uniqueKey("wau");
    await expect(push(authorization, kpi, { kpi: { aggregation: "sum" }, points: [{ date: "2026-05-01", value: 1 }, { date: "2026-02-30", value: 2 }] })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body: points\[1\]\.date: must be a date/),
    });
    await expect(push(authorization, kpi, { points: [{ date: "2026-05-01", value: "x" }] })).rejects.toMatchObject({ status: 400 });
    await expect(push(authorization, kpi, "nonsense")).rejects.toMatchObject({ status: 400 });
    await expect(push(authorization, kpi, { points: [{ date: "2026-05-01", value: 1 }] })).rejects.toMatchObject({ status: 404 });
    expect(await count(kpi)).toBe(0);
  });
});
