// A GitHub source synced end to end: the connector against the fake GitHub, the sync engine and the
// store, on both engines; the token comes from its THROUGHLINE_SECRET_* variable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackerFor } from "../../lib/connectors";
import type { Database } from "../../lib/db/client";
import { getSourceByName } from "../../lib/db/queries/sources";
import { syncSource } from "../../lib/ingest/sync";
import { systemContext } from "../../lib/services/entries-cli";
import { addSource } from "../../lib/services/sources";
import { OWNER, REPO, startFakeGitHub, TOKEN } from "../fixtures/github/fake-github";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";

let github: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  github = await startFakeGitHub();
  process.env.THROUGHLINE_SECRET_TEST_GITHUB = TOKEN;
});
afterAll(() => github.close());

const policy = { allow: ["127.0.0.1"], maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000 };

describe.each(engines())("a GitHub source synced on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  it("stores the repository's issues (not its pull requests), and a second full sync changes nothing", async () => {
    const name = uniqueKey("gh");
    const team = uniqueKey("ght");
    await addSource(systemContext(database), { name, kind: "github", team, secretEnv: "THROUGHLINE_SECRET_TEST_GITHUB", settings: { baseUrl: `${github.url}/`, owner: OWNER, repo: REPO } });
    const sync = async (full: boolean) => {
      const row = (await getSourceByName(database.db, name))!;
      return syncSource(database.db, row, trackerFor(row, policy), { full });
    };
    const first = await sync(true);
    expect(first.counts.mapped).toBeGreaterThan(0);
    expect(first.counts.stored).toBe(first.counts.mapped);
    expect((await teamFootprint(database.db, team)).items).toBe(first.counts.mapped);
    expect((await teamFootprint(database.db, team)).workflow_digest).toBe("Open:todo,In progress:in_progress,Closed:done,Closed as not planned:done,Closed as duplicate:done");
    const second = await sync(true);
    expect(second.counts).toMatchObject({ fetched: first.counts.fetched, stored: 0, unchanged: first.counts.mapped, deleted: 0 });
  });
});
