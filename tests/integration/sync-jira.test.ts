// A Jira source synced end to end: the connector against the fake Jira Cloud, the sync engine, the
// store and the metrics, on both engines; the token comes from its THROUGHLINE_SECRET_* variable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackerFor } from "../../lib/connectors";
import type { Database } from "../../lib/db/client";
import { getSourceByName } from "../../lib/db/queries/sources";
import { getTeamByKey, listWorkflowStatuses } from "../../lib/db/queries/teams";
import { syncSource } from "../../lib/ingest/sync";
import { addSource, listSourceStatuses, setSourceMapping } from "../../lib/services/sources";
import { systemContext } from "../../lib/services/entries-cli";
import { CONFIG_JQL, EMAIL, recordedIssues, startFakeJira, TOKEN } from "../helpers/fake-jira";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";

let jira: Awaited<ReturnType<typeof startFakeJira>>;
beforeAll(async () => {
  jira = await startFakeJira();
  process.env.THROUGHLINE_SECRET_TEST_JIRA = TOKEN;
});
afterAll(() => jira.close());

const policy = { allow: ["127.0.0.1"], maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000 };

describe.each(engines())("a Jira source synced on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  async function source() {
    const name = uniqueKey("jira");
    const team = uniqueKey("jt");
    await addSource(systemContext(database), { name, kind: "jira", team, secretEnv: "THROUGHLINE_SECRET_TEST_JIRA", settings: { siteUrl: jira.url, email: EMAIL, jql: CONFIG_JQL } });
    return { name, team, sync: async (full = false) => { const row = (await getSourceByName(database.db, name))!; return syncSource(database.db, row, trackerFor(row, policy), { full }); } };
  }

  it("stores every recorded issue once, says what it repaired, and a deletion leaves the store", async () => {
    jira.reset();
    const inScope = new Set(recordedIssues().map((i) => i.id)).size;
    const a = await source();
    const first = await a.sync();
    expect(first.counts.fetched).toBeGreaterThanOrEqual(inScope);
    expect(first.counts.mapped + first.counts.skipped).toBe(inScope);
    expect(first.counts.stored).toBe(first.counts.mapped);
    // EE-4's title holds a NUL (jsonb and text refuse it): removed, and counted.
    expect(first.counts.cleaned).toBeGreaterThan(0);
    expect(Object.keys(first.reasons).some((k) => k.includes("NUL"))).toBe(true);
    expect((await teamFootprint(database.db, a.team)).items).toBe(first.counts.mapped);

    const [deleted] = [...jira.state.issues.keys()];
    jira.state.issues.delete(deleted!);
    const second = await a.sync();
    expect(second.counts.deleted).toBe(1);
    expect((await teamFootprint(database.db, a.team)).items).toBe(first.counts.mapped - 1);

    const b = await source();
    await b.sync(true);
    const { teams: _a, ...heldA } = await teamFootprint(database.db, a.team);
    const { teams: _b, ...heldB } = await teamFootprint(database.db, b.team);
    expect(heldA).toEqual(heldB);
  });

  it("a mapping change re-derives the history at the next sync without fetching more", async () => {
    jira.reset();
    const a = await source();
    await a.sync();
    const ctx = systemContext(database);
    const statuses = await listSourceStatuses(ctx, a.name);
    expect(statuses.length).toBeGreaterThan(5);
    const doing = statuses.find((s) => s.suggested === "in_progress")!;
    expect(doing).toMatchObject({ mapped: null, category: "in_progress" });
    await expect(setSourceMapping(ctx, a.name, { [doing.id]: { category: "later" } })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await setSourceMapping(ctx, a.name, { [doing.id]: { category: "in_progress", blocked: true } });
    expect((await listSourceStatuses(ctx, a.name)).find((s) => s.id === doing.id)).toMatchObject({ mapped: { blocked: true } });
    const before = await teamFootprint(database.db, a.team);
    const again = await a.sync();
    expect(again.counts.fetched).toBeLessThan(before.items as number);
    const after = await teamFootprint(database.db, a.team);
    expect(after.workflow_digest).toEqual(before.workflow_digest);
    // The blocked flag is not in the digest; the facts are: items in that status now count as blocked.
    const team = (await getTeamByKey(database.db, a.team))!;
    expect((await listWorkflowStatuses(database.db, team.id)).find((s) => s.name === doing.name)).toMatchObject({ blocked: true });
  });

  it("refuses a credential in the settings and a secret outside THROUGHLINE_SECRET_*", async () => {
    const ctx = systemContext(database);
    await expect(addSource(ctx, { name: uniqueKey("bad"), kind: "jira", team: "x", secretEnv: "DATABASE_URL", settings: {} })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("THROUGHLINE_SECRET_") });
    await expect(addSource(ctx, { name: uniqueKey("bad"), kind: "jira", team: "x", secretEnv: "THROUGHLINE_SECRET_TEST_JIRA", settings: { siteUrl: jira.url, email: EMAIL, jql: "project = SP", apiToken: TOKEN } })).rejects.toMatchObject({ message: expect.stringContaining("never stored") });
    await expect(addSource(ctx, { name: uniqueKey("bad"), kind: "jira", team: "x", secretEnv: "THROUGHLINE_SECRET_TEST_JIRA", settings: { siteUrl: jira.url, email: "not-an-email", jql: "project = SP" } })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("email") });
  });
});
