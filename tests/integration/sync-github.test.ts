// A GitHub source synced end to end: the connector against the fake GitHub, the sync engine and the
// store, on both engines; the token comes from its THROUGHLINE_SECRET_* variable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackerFor } from "../../lib/connectors";
import type { Database } from "../../lib/db/client";
import { getSourceByName } from "../../lib/db/queries/sources";
import { syncSource } from "../../lib/ingest/sync";
import { systemContext } from "../../lib/services/entries-cli";
import { addSource } from "../../lib/services/sources";
import { OWNER, PROJECT, REPO, startFakeGitHub, TOKEN } from "../fixtures/github/fake-github";
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

  it("with a project, takes the statuses from its field: the options in the workflow, an unknown one proposed in progress", async () => {
    github.reset();
    github.state.issues = github.state.issues.filter((i) => [1, 2, 220, 226].includes(i.number));
    const name = uniqueKey("ghp");
    const team = uniqueKey("ghpt");
    const settings = { baseUrl: `${github.url}/`, owner: OWNER, repo: REPO, project: { owner: PROJECT.owner, number: PROJECT.number } };
    await addSource(systemContext(database), { name, kind: "github", team, secretEnv: "THROUGHLINE_SECRET_TEST_GITHUB", settings });
    const row = (await getSourceByName(database.db, name))!;
    const first = await syncSource(database.db, row, trackerFor(row, policy), { full: true });
    expect(first.counts).toMatchObject({ fetched: 4, mapped: 4, stored: 4, skipped: 0, cleaned: 1 });
    expect(first.reasons).toMatchObject({
      'status "Parked" (project:Parked) has no category from the tracker: in_progress proposed, review the mapping': 1,
      "repaired: project field value taken from the item itself (no event for it)": 1,
    });
    expect((await teamFootprint(database.db, team)).workflow_digest).toBe(
      "No status:todo,Todo:todo,In Progress:in_progress,In Review:in_progress,Parked:in_progress,Done:done,Closed:done,Closed as not planned:done,Closed as duplicate:done",
    );
  });
});
