// Share links on every engine: who may make them, what a frozen or rolling link shows, and that a
// revoked or expired one shows nothing at the very next request.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client";
import { queryRows } from "../../lib/db/client";
import { importHistory } from "../../lib/ingest/history";
import type { MetricResults } from "../../lib/metrics/load";
import {
  createShareLink,
  guardShareRequest,
  listShareLinks,
  openSharedView,
  revokeShareLink,
  SHARE_LIMITS,
  shareActor,
  shareLinkState,
  type SharedFlowView,
} from "../../lib/services/share-links";
import { createAnnotation } from "../../lib/services/annotations";
import { reportRoadblock } from "../../lib/services/roadblocks";
import { getTeamMetric } from "../../lib/services/metrics";
import { getShareLinkByHash } from "../../lib/db/queries/share-links";
import { contextOf, makeUser, userActor } from "../helpers/accounts";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

const NOW = new Date("2026-04-01T12:00:00Z");
const ITEMS = [
  { key: "S-1", title: "First", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }, { at: "2026-03-04T09:00:00Z", to: "Done" }] },
  { key: "S-2", title: "Second", transitions: [{ at: "2026-03-10T09:00:00Z", to: "In Progress" }, { at: "2026-03-20T09:00:00Z", to: "Done" }] },
  { key: "S-3", title: "Later", transitions: [{ at: "2026-03-25T09:00:00Z", to: "In Progress" }, { at: "2026-03-31T09:00:00Z", to: "Done" }] },
];

const tokenOf = (path: string) => path.replace(/^\/s\//, "");

describe.each(engines())("share links on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("share");
  const other = uniqueKey("other");
  beforeAll(async () => {
    database = await engine.open();
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", ITEMS)));
    await importHistory(database.db, sourceOf(historyDoc(other, "UTC", [{ key: "O-1", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }] }])));
  });
  afterAll(async () => database?.close());

  const asMember = async () => contextOf(database, await userActor(database, await makeUser(database, "member", [team])), NOW);

  it("freezes a chart as it is now: the same numbers at a later visit, after more work is done", async () => {
    const ctx = await asMember();
    const link = await createShareLink(ctx, { team, kind: "chart", chart: "cycle-time", view: { from: "2026-03-01", to: "2026-03-31", as_of: "2026-03-21T00:00:00Z" } });
    expect(link.path).toMatch(/^\/s\/[A-Za-z0-9_-]{32}$/);
    // 24 random bytes: 192 bits; only a hash is stored.
    const stored = await queryRows<{ token_hash: string }>(database.db, sql`select token_hash from share_links where id = ${link.id}`);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.token_hash).not.toContain(tokenOf(link.path));

    const view = (await openSharedView({ db: database.db, now: new Date("2026-06-01T00:00:00Z") }, tokenOf(link.path))) as SharedFlowView;
    const cycle = view.data.find((d) => d.metric === "cycle-time")!.result as MetricResults["cycle-time"];
    // As of 03-21, S-3 was not done: the link shows the two items the sharer saw.
    expect(cycle.items.map((i) => i.key)).toEqual(["S-1", "S-2"]);
    expect(cycle).toEqual(
      expect.objectContaining({
        count: 2,
        percentiles: (await getTeamMetric(contextOf(database, { kind: "system" }), { metric: "cycle-time", team, from: "2026-03-01", to: "2026-03-31", as_of: "2026-03-21T00:00:00Z" })).percentiles,
      }),
    );
    expect(view.headline).toBe(`Team ${team}: 85% of items in 11 days or less`);
    // Item pages and tracker links are not part of a shared view.
    expect(JSON.stringify(view.data)).not.toContain('"url"');
  });

  it("keeps a rolling link to the last N days at each visit", async () => {
    const ctx = await asMember();
    const link = await createShareLink(ctx, { team, kind: "chart", chart: "throughput", view: {}, window: "rolling", rolling_days: "10" });
    const at = async (now: string) => (await openSharedView({ db: database.db, now: new Date(now) }, tokenOf(link.path))) as SharedFlowView;
    expect((await at("2026-03-12T00:00:00Z")).window).toBe("2026-03-03 to 2026-03-12");
    const later = await at("2026-04-01T00:00:00Z");
    expect(later.window).toBe("2026-03-23 to 2026-04-01");
    const throughput = later.data.find((d) => d.metric === "throughput")!.result as MetricResults["throughput"];
    expect(throughput.daily.reduce((s, d) => s + d.count, 0)).toBe(1);
  });

  it("answers 410 at once when revoked or expired, 404 for an unknown token, and counts visits", async () => {
    const ctx = await asMember();
    const link = await createShareLink(ctx, { team, kind: "dashboard", view: { range: "30" }, expires_in_days: "7" });
    const token = tokenOf(link.path);
    const open = (now = NOW) => openSharedView({ db: database.db, now }, token);
    await open();
    await open();
    const row = await getShareLinkByHash(database.db, (await import("node:crypto")).createHash("sha256").update(token).digest("hex"));
    expect(row?.views).toBe(2);
    await expect(open(new Date(NOW.getTime() + 8 * 86_400_000))).rejects.toMatchObject({ code: "GONE", status: 410 });
    expect(await shareLinkState({ db: database.db, now: new Date(NOW.getTime() + 8 * 86_400_000) }, token)).toBe("gone");
    expect(await shareLinkState({ db: database.db, now: NOW }, token)).toBe("live");
    await revokeShareLink(ctx, link.id);
    await expect(open()).rejects.toMatchObject({ code: "GONE", status: 410 });
    await expect(openSharedView({ db: database.db, now: NOW }, "x".repeat(32))).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(await shareLinkState({ db: database.db, now: NOW }, "not a token")).toBe("unknown");
  });

  it("lets members share their own teams only, viewers not at all; members revoke their own links, admins any", async () => {
    const viewer = contextOf(database, await userActor(database, await makeUser(database, "viewer", [team])), NOW);
    await expect(createShareLink(viewer, { team, kind: "dashboard" })).rejects.toMatchObject({ status: 403 });
    const outsider = contextOf(database, await userActor(database, await makeUser(database, "member", [other])), NOW);
    await expect(createShareLink(outsider, { team, kind: "dashboard" })).rejects.toMatchObject({ status: 404 });
    const author = await asMember();
    const link = await createShareLink(author, { team, kind: "dashboard" });
    const colleague = await asMember();
    await expect(revokeShareLink(colleague, link.id)).rejects.toMatchObject({ status: 403 });
    expect((await listShareLinks(colleague)).some((l) => l.id === link.id)).toBe(false);
    expect((await listShareLinks(author)).map((l) => l.id)).toContain(link.id);
    const admin = contextOf(database, await userActor(database, await makeUser(database, "admin")), NOW);
    expect((await listShareLinks(admin)).map((l) => l.id)).toContain(link.id);
    await revokeShareLink(admin, link.id);
    expect((await listShareLinks(admin)).find((l) => l.id === link.id)?.state).toBe("revoked");
    await expect(listShareLinks(viewer)).rejects.toMatchObject({ status: 403 });
  });

  it("limits an address trying unknown tokens much sooner than one viewing a live link", async () => {
    const ctx = await asMember();
    const token = tokenOf((await createShareLink(ctx, { team, kind: "dashboard" })).path);
    const address = `198.51.100.${Math.floor(Math.random() * 250)}-${uniqueKey("a")}`;
    const at = { db: database.db, now: new Date("2026-04-01T12:00:30Z") };
    for (let i = 0; i < SHARE_LIMITS.missesPerAddress.limit; i++) expect(await guardShareRequest(at, "y".repeat(32), address)).toEqual({ state: "unknown" });
    const refused = await guardShareRequest(at, "y".repeat(32), address);
    expect(refused.retryAfterSeconds).toBe(30);
    // The live link still opens for that address: misses do not count against views.
    const live = await guardShareRequest(at, token, address);
    expect(live).toMatchObject({ state: "live" });
    expect(live.retryAfterSeconds).toBeUndefined();
  });

  it("gives a live link's rendering a new version when its team's data, roadblocks or annotations change", async () => {
    const ctx = await asMember();
    const token = tokenOf((await createShareLink(ctx, { team, kind: "dashboard" })).path);
    const at = { db: database.db, now: NOW };
    const before = (await guardShareRequest(at, token, uniqueKey("addr"))).version;
    expect(before).toEqual((await guardShareRequest(at, token, uniqueKey("addr"))).version);
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", [...ITEMS, { key: "S-9", title: "New", transitions: [{ at: "2026-03-30T09:00:00Z", to: "In Progress" }] }])));
    const afterImport = (await guardShareRequest(at, token, uniqueKey("addr"))).version;
    expect(afterImport).not.toEqual(before);
    // A roadblock opens a block the blockers chart counts, without an import.
    await reportRoadblock(ctx, team, { item: "S-9", problem: "Waiting on the vendor", proposal: "Escalate" });
    const afterRoadblock = (await guardShareRequest(at, token, uniqueKey("addr"))).version;
    expect(afterRoadblock).not.toEqual(afterImport);
    await createAnnotation(ctx, team, { starts_on: "2026-03-15", label: "launch" });
    expect((await guardShareRequest(at, token, uniqueKey("addr"))).version).not.toEqual(afterRoadblock);
  });

  it("refuses a bad request with the field it got wrong", async () => {
    const ctx = await asMember();
    await expect(createShareLink(ctx, { team, kind: "chart" })).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ where: "chart" })] });
    await expect(createShareLink(ctx, { team, kind: "chart", chart: "nope" })).rejects.toMatchObject({ status: 400 });
    await expect(createShareLink(ctx, { team, kind: "dashboard", expires_in_days: "999" })).rejects.toMatchObject({ status: 400 });
    await expect(createShareLink(ctx, { team, kind: "outcomes" })).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ where: "view.kpi" })] });
    await expect(createShareLink(ctx, { team, kind: "outcomes", view: { kpi: "no-such-kpi" } })).rejects.toMatchObject({ status: 404 });
  });

  it("never reaches another view, team or route with a share link's actor", async () => {
    const ctx = await asMember();
    const link = await createShareLink(ctx, { team, kind: "dashboard" });
    const row = (await queryRows<{ id: number; team_id: number }>(database.db, sql`select id, team_id from share_links where id = ${link.id}`))[0]!;
    const actor = shareActor({ id: row.id, teamId: row.team_id } as never);
    for (const key of [team, other]) {
      await expect(getTeamMetric(contextOf(database, actor), { metric: "wip", team: key })).rejects.toMatchObject({ status: 404 });
    }
  });
});
