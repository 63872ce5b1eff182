// The source's settings page data: item counts per status, the mapping review that keeps only
// what differs from the tracker, applied by the next sync — on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MappedRecord, TrackerConnector } from "../../lib/connectors/tracker";
import type { Database } from "../../lib/db/client";
import { getSourceByName, insertSource } from "../../lib/db/queries/sources";
import { syncSource } from "../../lib/ingest/sync";
import { systemContext } from "../../lib/services/entries-cli";
import { addSource, getSourceDetail, reviewSourceMapping } from "../../lib/services/sources";
import { engines, uniqueKey } from "../helpers/db";

const NAMES: Record<string, string> = { "1": "To Do", "3": "In Progress", "10001": "Done", "6": "Won't Do", "9": "QA" };
const items = [
  ["1", "3", "10001"],
  ["1", "3"],
  ["1"],
  ["1", "3", "10001"],
  ["1", "3"],
  ["1", "6"],
  // "QA" (id 9) is gone from the tracker's list; only this item's history names it.
  ["1", "9"],
].map((path, n) => ({
  id: `id-${n + 1}`,
  key: `SP-${n + 1}`,
  updatedAt: `2026-03-0${n + 1}T10:00:00Z`,
  transitions: path.map((statusId, i) => ({ at: `2026-02-0${n + 1}T${String(9 + i).padStart(2, "0")}:00:00Z`, statusId, name: NAMES[statusId]! })),
}));

const connector: TrackerConnector = {
  kind: "jira",
  testConnection: async () => ({ description: "fake" }),
  listStatuses: async () => [
    { id: "1", name: "To Do", suggested: "todo" },
    { id: "3", name: "In Progress", suggested: "in_progress" },
    { id: "10001", name: "Done", suggested: "done" },
    { id: "6", name: "Won't Do", suggested: "done", discarded: true },
  ],
  listIds: async () => new Set(items.map((i) => i.id)),
  fetchPages: async function* () {
    yield { records: items.map((i) => ({ id: i.id, updatedAt: i.updatedAt, payload: i })), cursor: null };
  },
};
const map = (payload: unknown): MappedRecord => {
  const i = payload as (typeof items)[number];
  return {
    ok: true,
    item: { key: i.key, title: i.key, type: "story", created_at: i.transitions[0]!.at, url: null, milestone: null, transitions: i.transitions, blocks: [] },
    milestones: [],
    cleaned: [],
  };
};

describe.each(engines())("source review on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("counts items per status now and ever, stores only choices that differ from the tracker, and the next sync applies them", async () => {
    const ctx = systemContext(database);
    const name = uniqueKey("review");
    const team = uniqueKey("review-team");
    await insertSource(database.db, { name, kind: "jira", teamKey: team, settings: {}, secretEnv: "THROUGHLINE_SECRET_REVIEW" });
    await syncSource(database.db, (await getSourceByName(database.db, name))!, { connector, map });

    const counts = (detail: Awaited<ReturnType<typeof getSourceDetail>>) => Object.fromEntries(detail.statuses.map((s) => [s.workflowName, [s.category, s.items.now, s.items.ever]]));
    const before = await getSourceDetail(ctx, name);
    expect(counts(before)).toEqual({ "To Do": ["todo", 1, 7], "In Progress": ["in_progress", 2, 4], Done: ["done", 2, 2], "Won't Do": ["done", 1, 1], QA: [null, 1, 1] });
    expect(before.statuses.map((s) => [s.id, s.listed])).toEqual([["1", true], ["3", true], ["10001", true], ["6", true], ["9", false]]);
    expect(before.unlisted).toEqual([]);
    expect(before.runs).toHaveLength(1);
    expect(before.source).not.toHaveProperty("cursor");
    expect(before.source.secretSet).toBe(false);

    // The same choices as the tracker's for three statuses, a different one for "In Progress".
    const mapping = await reviewSourceMapping(ctx, name, {
      "1": { category: "todo", blocked: false, discarded: false },
      "3": { category: "done", blocked: false, discarded: false },
      "10001": { category: "done", blocked: false, discarded: false },
      "6": { category: "done", blocked: false, discarded: true },
    });
    expect(mapping).toEqual({ "3": { category: "done" } });
    // A status only the history names can be reviewed too: the tracker suggests nothing for it.
    expect(await reviewSourceMapping(ctx, name, { "9": { category: "done", blocked: false, discarded: false } })).toEqual({ "3": { category: "done" }, "9": { category: "done" } });
    await syncSource(database.db, (await getSourceByName(database.db, name))!, { connector, map });
    const after = await getSourceDetail(ctx, name);
    expect(counts(after)["In Progress"]).toEqual(["done", 2, 4]);
    expect(counts(after).QA).toEqual(["done", 1, 1]);
    expect(after.statuses.find((s) => s.id === "3")!.mapped).toEqual({ category: "done" });

    // Back to the tracker's suggestion: nothing is kept.
    expect(await reviewSourceMapping(ctx, name, { "3": { category: "in_progress", blocked: false, discarded: false } })).toEqual({ "9": { category: "done" } });
    // Discarded means something only for a done status; blocked is kept.
    expect(await reviewSourceMapping(ctx, name, { "3": { category: "in_progress", blocked: true, discarded: true } })).toEqual({ "3": { category: "in_progress", blocked: true }, "9": { category: "done" } });
  });

  it("refuses a status the tracker does not list and a category that does not exist, naming them", async () => {
    const ctx = systemContext(database);
    const name = uniqueKey("review");
    await insertSource(database.db, { name, kind: "jira", teamKey: uniqueKey("review-team"), settings: {}, secretEnv: "THROUGHLINE_SECRET_REVIEW" });
    await syncSource(database.db, (await getSourceByName(database.db, name))!, { connector, map });
    await expect(reviewSourceMapping(ctx, name, { "99": { category: "done", blocked: false, discarded: false } })).rejects.toThrow(/status 99: not in the tracker's status list/);
    await expect(reviewSourceMapping(ctx, name, { "3": { category: "doing", blocked: false, discarded: false } })).rejects.toThrow(/status In Progress.*category: must be "todo", "in_progress" or "done"/);
    expect((await getSourceByName(database.db, name))!.mapping).toEqual({});
  });
});

describe("adding a source with a mistyped setting", () => {
  it("is refused, naming the setting and the ones the kind knows, and nothing is added", async () => {
    const database = await engines()[0]!.open();
    try {
      const ctx = systemContext(database);
      const name = uniqueKey("typo");
      await expect(addSource(ctx, { name, kind: "github", team: "t", secretEnv: "THROUGHLINE_SECRET_X", settings: { owner: "acme", repo: "api", projet: { number: 7 } } })).rejects.toThrow(
        /^settings\.projet: not a github setting \(known: baseUrl, blockerLabels, inProgress, owner, project, repo, timezone\)$/,
      );
      await expect(addSource(ctx, { name, kind: "jira", team: "t", secretEnv: "THROUGHLINE_SECRET_X", settings: { siteUrl: "https://x.atlassian.net", email: "a@b.co", jql: "project = SP", timezone: "Mars/Olympus" } })).rejects.toThrow(
        /settings\.timezone: not an IANA timezone/,
      );
      expect(await getSourceByName(database.db, name)).toBeNull();
    } finally {
      await database.close();
    }
  });
});
