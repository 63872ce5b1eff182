// The KPI push API: tokens are required and revocable; bad bodies store nothing.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, listApiTokens, revokeApiToken } from "../../lib/access/api-tokens";
import { queryRows, type Database } from "../../lib/db/client";
import { pushKpiPoints } from "../../lib/ingest/kpi-push";
import { engines, uniqueKey } from "../helpers/db";

describe.each(engines())("KPI push on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  const count = async (kpi: string) =>
    (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from kpi_points p join kpis k on k.id = p.kpi_id where k.key = ${kpi}`))[0]!.n;

  it("stores points for a valid token, idempotently, and stores the token only hashed", async () => {
    const { id, token } = await createApiToken(database.db, uniqueKey("ci"));
    const kpi = uniqueKey("signups");
    const body = { kpi: { name: "Signups", aggregation: "sum" }, points: [{ date: "2026-05-01", value: 3 }, { date: "2026-05-02", value: 4 }] };
    const first = await pushKpiPoints(database.db, { authorization: `Bearer ${token}`, kpiKey: kpi, body });
    expect(first.counts).toMatchObject({ points: 2, changed: 2 });
    const again = await pushKpiPoints(database.db, { authorization: `Bearer ${token}`, kpiKey: kpi, body: { points: body.points } });
    expect(again.counts).toMatchObject({ points: 2, changed: 0, unchanged: 2 });
    expect(await count(kpi)).toBe(2);
    const stored = await queryRows<{ token_hash: string }>(database.db, sql`select token_hash from api_tokens where id = ${id}`);
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 401 without a token, with a wrong one, and after revocation — storing nothing", async () => {
    const { id, token } = await createApiToken(database.db, uniqueKey("revoked"));
    const kpi = uniqueKey("mrr");
    const body = { kpi: { name: "MRR", aggregation: "last" }, points: [{ date: "2026-05-01", value: 3 }] };
    for (const authorization of [null, "Bearer nope", `Basic ${token}`]) {
      await expect(pushKpiPoints(database.db, { authorization, kpiKey: kpi, body })).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    }
    await revokeApiToken(database.db, id);
    await expect(pushKpiPoints(database.db, { authorization: `Bearer ${token}`, kpiKey: kpi, body })).rejects.toMatchObject({ status: 401 });
    expect((await listApiTokens(database.db)).find((t) => t.id === id)?.revokedAt).toBeInstanceOf(Date);
    expect(await count(kpi)).toBe(0);
  });

  it("answers 400 naming the field of a malformed body, and 404 for an undefined KPI — storing nothing", async () => {
    const { token } = await createApiToken(database.db, uniqueKey("bad"));
    const kpi = uniqueKey("wau");
    const auth = `Bearer ${token}`;
    await expect(pushKpiPoints(database.db, { authorization: auth, kpiKey: kpi, body: { kpi: { aggregation: "sum" }, points: [{ date: "2026-05-01", value: 1 }, { date: "2026-02-30", value: 2 }] } })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body: points\[1\]\.date: must be a date/),
    });
    await expect(pushKpiPoints(database.db, { authorization: auth, kpiKey: kpi, body: { points: [{ date: "2026-05-01", value: "x" }] } })).rejects.toMatchObject({ status: 400 });
    await expect(pushKpiPoints(database.db, { authorization: auth, kpiKey: kpi, body: "nonsense" })).rejects.toMatchObject({ status: 400 });
    await expect(pushKpiPoints(database.db, { authorization: auth, kpiKey: kpi, body: { points: [{ date: "2026-05-01", value: 1 }] } })).rejects.toMatchObject({ status: 404 });
    expect(await count(kpi)).toBe(0);
  });
});
