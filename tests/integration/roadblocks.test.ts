// Roadblocks and the decisions log: a report is a block the metrics count, a reviewer's answer may
// end it, every answer is a decision; who may report, answer and read, and what input is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../lib/db/client";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { importHistory } from "../../lib/ingest/history";
import { computeMetric, type BlockersResult } from "../../lib/metrics/load";
import type { ServiceContext } from "../../lib/services/context";
import { createDecision, getDecisionDetail, listDecisions } from "../../lib/services/decisions";
import { getTeamMetric, getTeamMetrics } from "../../lib/services/metrics";
import { decideRoadblock, getRoadblockDetail, getRoadblocksPage, listRoadblocks, reportRoadblock } from "../../lib/services/roadblocks";
import { contextOf, makeUser, userActor } from "../helpers/accounts";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

const REPORTED = new Date("2026-03-10T12:00:00Z");
const DECIDED = new Date("2026-03-11T12:00:00Z");
const LATER = new Date("2026-03-12T12:00:00Z");
const started = [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }];

describe.each(engines())("roadblocks on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("rb");
  const other = uniqueKey("rb-other");
  let member: (now: Date) => ServiceContext;
  let admin: (now: Date) => ServiceContext;
  let viewer: ServiceContext;
  let outsider: ServiceContext;
  let memberName = "";
  let adminName = "";

  async function blockers(asOf: Date): Promise<BlockersResult> {
    const t = (await getTeamByKey(database.db, team))!;
    return computeMetric(database.db, "blockers", { team: t, asOf, from: "2026-03-01", to: "2026-03-31" });
  }
  const hoursOf = (b: BlockersResult, key: string) => b.items.find((i) => i.key === key)?.blocked_hours ?? 0;

  beforeAll(async () => {
    database = await engine.open();
    await importHistory(
      database.db,
      sourceOf(
        historyDoc(
          team,
          "UTC",
          [
            { key: "RB-1", created_at: "2026-03-01T00:00:00Z", transitions: started },
            { key: "RB-2", transitions: started, blocks: [{ start: "2026-03-05T00:00:00Z", end: null, reason: "waiting on vendor" }] },
            { key: "RB-3", transitions: started },
            { key: "RB-4", transitions: started },
            { key: "RB-5", transitions: started },
          ],
          { milestones: [{ key: "m1", name: "M1", due_on: "2026-03-31" }] },
        ),
      ),
    );
    await importHistory(database.db, sourceOf(historyDoc(other, "UTC", [{ key: "OT-1", transitions: started }])));
    const memberUser = await makeUser(database, "member", [team]);
    const adminUser = await makeUser(database, "admin");
    memberName = memberUser.name;
    adminName = adminUser.name;
    const memberActor = await userActor(database, memberUser);
    const adminActor = await userActor(database, adminUser);
    member = (now) => contextOf(database, memberActor, now);
    admin = (now) => contextOf(database, adminActor, now);
    viewer = contextOf(database, await userActor(database, await makeUser(database, "viewer", [team])), REPORTED);
    outsider = contextOf(database, await userActor(database, await makeUser(database, "member", [other])), REPORTED);
  });
  afterAll(async () => database?.close());

  it("a roadblock answered 'resolved' ends its block and the blocked hours of its item change accordingly", async () => {
    expect(hoursOf(await blockers(REPORTED), "RB-1")).toBe(0);

    const rb = await reportRoadblock(member(REPORTED), team, {
      item: "RB-1",
      problem: "The staging database is read-only",
      proposal: "Ask platform for a writable snapshot",
      support_needed: "platform team",
      since: "2026-03-09T12:00:00Z",
    });
    expect(rb).toMatchObject({ item_key: "RB-1", since: "2026-03-09T12:00:00Z", reported_by: memberName, decision: null, ended_at: null, waiting_hours: 0 });

    // Open: 24 hours at the report, and still counting a day later.
    const atReport = await blockers(REPORTED);
    expect(hoursOf(atReport, "RB-1")).toBe(24);
    expect(atReport.open.find((o) => o.key === "RB-1")).toEqual({
      key: "RB-1",
      blocked_since: "2026-03-09T12:00:00Z",
      age_days: 2,
      age_hours: 24,
      reasons: ["Roadblock: The staging database is read-only"],
    });
    expect(hoursOf(await blockers(LATER), "RB-1")).toBe(72);

    const answered = await decideRoadblock(admin(DECIDED), team, rb.id, { decision: "resolved", text: "Platform restored write access" });
    expect(answered).toMatchObject({ decision: "resolved", decision_text: "Platform restored write access", decided_by: adminName, decided_at: "2026-03-11T12:00:00Z", ended_at: "2026-03-11T12:00:00Z", waiting_hours: null });

    // Ended at the decision's instant: 48 hours, no longer open; before the decision it was open.
    const after = await blockers(LATER);
    expect(hoursOf(after, "RB-1")).toBe(48);
    expect(after.open.map((o) => o.key)).not.toContain("RB-1");
    expect((await blockers(REPORTED)).open.map((o) => o.key)).toContain("RB-1");

    const detail = await getRoadblockDetail(viewer, team, rb.id);
    expect(detail.events).toEqual([
      { at: "2026-03-10T12:00:00Z", by: memberName, kind: "reported", decision: null, text: "The staging database is read-only", ends_block: false },
      { at: "2026-03-11T12:00:00Z", by: adminName, kind: "decided", decision: "resolved", text: "Platform restored write access", ends_block: true },
    ]);
    expect(detail.decisions).toHaveLength(1);
    expect(detail.decisions[0]).toMatchObject({ title: "Resolved: RB-1", rationale: "Platform restored write access", item_keys: ["RB-1"], roadblock_id: rb.id, decided_by: adminName, show_on_charts: false });
    expect(detail.may_decide).toBe(false);
    expect((await getRoadblockDetail(member(LATER), team, rb.id)).may_decide).toBe(true);

    // Ended: no further answers.
    await expect(decideRoadblock(admin(LATER), team, rb.id, { decision: "other", text: "again" })).rejects.toMatchObject({ code: "INVALID_INPUT", details: [{ where: "roadblock" }] });
  });

  it("an accepted proposal that does not end the block leaves it open; ends_block ends it", async () => {
    const rb = await reportRoadblock(member(REPORTED), team, { item: "RB-3", problem: "No test account", proposal: "Create one in the sandbox" });
    expect(rb.since).toBe("2026-03-10T12:00:00Z");
    const accepted = await decideRoadblock(member(DECIDED), team, rb.id, { decision: "accepted", text: "Go ahead", ends_block: "" });
    expect(accepted).toMatchObject({ decision: "accepted", ended_at: null, waiting_hours: null });
    const open = (await blockers(LATER)).open.find((o) => o.key === "RB-3");
    expect(open).toMatchObject({ blocked_since: "2026-03-10T12:00:00Z", age_hours: 48 });
    expect((await listRoadblocks(viewer, team, { status: "open" })).map((r) => r.id)).toContain(rb.id);

    const ended = await decideRoadblock(member(LATER), team, rb.id, { decision: "other", text: "Use the shared account", ends_block: "on" });
    expect(ended.ended_at).toBe("2026-03-12T12:00:00Z");
    const at = new Date("2026-03-13T12:00:00Z");
    expect(hoursOf(await blockers(at), "RB-3")).toBe(48);
    expect((await listRoadblocks(viewer, team, { status: "open" })).map((r) => r.id)).not.toContain(rb.id);
  });

  it("shows a report among open blockers at once, past the metric cache", async () => {
    const ctx = member(REPORTED);
    const before = await getTeamMetric(ctx, { metric: "blockers", team, from: "2026-03-01", to: "2026-03-31" });
    expect(before.open.map((o) => o.key)).not.toContain("RB-4");
    await reportRoadblock(ctx, team, { item: "RB-4", problem: "Design missing", proposal: "Pair with design", since: "2026-03-10T00:00:00Z" });
    const after = await getTeamMetric(ctx, { metric: "blockers", team, from: "2026-03-01", to: "2026-03-31" });
    expect(after.open.find((o) => o.key === "RB-4")).toMatchObject({ blocked_since: "2026-03-10T00:00:00Z", age_hours: 12 });
  });

  it("answers a dashboard's metrics asked at once as one by one, past the metric cache after a report", async () => {
    const ctx = member(REPORTED);
    const window = { team, from: "2026-03-01", to: "2026-03-31" };
    const asked = [{ ...window, metric: "blockers" as const }, { ...window, metric: "cycle-time" as const }, { ...window, metric: "blockers" as const, details: "1" }];
    const together = await getTeamMetrics(ctx, asked);
    expect(together).toEqual(await Promise.all(asked.map((input) => getTeamMetric(ctx, input))));
    expect((together[0] as Awaited<ReturnType<typeof getTeamMetric<"blockers">>>).open.map((o) => o.key)).not.toContain("RB-5");
    await reportRoadblock(ctx, team, { item: "RB-5", problem: "Waiting on legal", proposal: "Ship behind a flag", since: "2026-03-10T06:00:00Z" });
    const again = (await getTeamMetrics(ctx, asked)) as Awaited<ReturnType<typeof getTeamMetric<"blockers">>>[];
    expect(again[0]!.open.find((o) => o.key === "RB-5")).toMatchObject({ blocked_since: "2026-03-10T06:00:00Z", age_hours: 6 });
    expect(again[2]!.open.find((o) => o.key === "RB-5")).toMatchObject({ blocked_since: "2026-03-10T06:00:00Z" });
  });

  it("lists open reports first with their wait, and the tracker's blocks read-only beside them", async () => {
    const page = await getRoadblocksPage(contextOf(database, viewer.actor, LATER), team);
    const rb4 = page.roadblocks.find((r) => r.item_key === "RB-4");
    expect(rb4).toMatchObject({ waiting_hours: 48, ended_at: null, path: `/teams/${team}/roadblocks/${rb4!.id}` });
    expect(page.tracker.map((t) => [t.key, t.source, t.reasons])).toEqual([["RB-2", "tracker", ["waiting on vendor"]]]);
  });

  it("names the field of bad input", async () => {
    const report = (input: Record<string, unknown>) => reportRoadblock(member(REPORTED), team, { item: "RB-5", problem: "p", proposal: "q", ...input });
    await expect(report({ problem: "" })).rejects.toMatchObject({ code: "INVALID_INPUT", message: "problem: is required", details: [{ where: "problem" }] });
    await expect(report({ proposal: undefined })).rejects.toMatchObject({ message: "proposal: is required" });
    await expect(report({ proposal: "x".repeat(2001) })).rejects.toMatchObject({ message: "proposal: may be at most 2000 characters" });
    await expect(report({ support_needed: "x".repeat(2001) })).rejects.toMatchObject({ details: [{ where: "support_needed" }] });
    await expect(report({ since: "2026-03-10T12:00:01Z" })).rejects.toMatchObject({ message: "since: must not be in the future" });
    await expect(report({ since: "2026-02-28T23:59:59Z", item: "RB-1" })).rejects.toMatchObject({ message: "since: must not be before the item was created (2026-03-01T00:00:00Z)" });
    await expect(report({ since: "yesterday" })).rejects.toMatchObject({ details: [{ where: "since" }] });
    await expect(report({ item: "NOPE-1" })).rejects.toMatchObject({ message: `item: no work item "NOPE-1" in team "${team}"` });
    // Another team's item is no item of this team.
    await expect(report({ item: "OT-1" })).rejects.toMatchObject({ details: [{ where: "item" }] });
    // A form's local time is the team's wall clock.
    expect((await report({ since: "2026-03-10T08:15" })).since).toBe("2026-03-10T08:15:00Z");

    const rb = await report({});
    await expect(decideRoadblock(admin(DECIDED), team, rb.id, { decision: "maybe", text: "x" })).rejects.toMatchObject({ details: [{ where: "decision" }] });
    await expect(decideRoadblock(admin(DECIDED), team, rb.id, { decision: "accepted", text: " " })).rejects.toMatchObject({ message: "text: is required" });

    await expect(createDecision(member(REPORTED), team, { title: "", rationale: "r" })).rejects.toMatchObject({ message: "title: is required" });
    await expect(createDecision(member(REPORTED), team, { title: "t", rationale: "r", items: "RB-1, NOPE-9" })).rejects.toMatchObject({ message: `items: no work item "NOPE-9" in team "${team}"` });
    await expect(createDecision(member(REPORTED), team, { title: "t", rationale: "r", milestones: "m9" })).rejects.toMatchObject({ details: [{ where: "milestones" }] });
    await expect(createDecision(member(REPORTED), team, { title: "t", rationale: "r", decided_on: "2026-03-11" })).rejects.toMatchObject({ message: "decided_on: must not be in the future" });
    await expect(createDecision(member(REPORTED), team, { title: "t", rationale: "r", roadblock: "999999" })).rejects.toMatchObject({ details: [{ where: "roadblock" }] });
  });

  it("refuses viewers (403) and other teams' members (404); a roadblock of another team is not found", async () => {
    const input = { item: "RB-5", problem: "p", proposal: "q" };
    await expect(reportRoadblock(viewer, team, input)).rejects.toMatchObject({ status: 403, code: "FORBIDDEN" });
    await expect(reportRoadblock(outsider, team, input)).rejects.toMatchObject({ status: 404, code: "TEAM_NOT_FOUND" });
    const rb = await reportRoadblock(member(REPORTED), team, input);
    await expect(decideRoadblock(viewer, team, rb.id, { decision: "resolved", text: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(decideRoadblock(outsider, team, rb.id, { decision: "resolved", text: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(getRoadblockDetail(outsider, team, rb.id)).rejects.toMatchObject({ status: 404 });
    await expect(getRoadblockDetail(outsider, other, rb.id)).rejects.toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect((await getRoadblockDetail(viewer, team, rb.id)).roadblock.problem).toBe("p");
    await expect(createDecision(viewer, team, { title: "t", rationale: "r" })).rejects.toMatchObject({ status: 403 });
    await expect(listDecisions(outsider, team)).rejects.toMatchObject({ status: 404 });
    // Still open: the refusals changed nothing.
    expect((await getRoadblockDetail(viewer, team, rb.id)).roadblock.ended_at).toBeNull();
  });

  it("logs decisions with their links, each with its own path; those for the charts by window", async () => {
    const rb = (await listRoadblocks(viewer, team)).find((r) => r.item_key === "RB-4")!;
    const made = await createDecision(member(REPORTED), team, {
      title: "Freeze the payments API",
      rationale: "Two incidents in a week",
      decided_on: "2026-03-08",
      items: "RB-1 RB-2",
      milestones: "m1",
      roadblock: String(rb.id),
      show_on_charts: "on",
    });
    expect(made).toMatchObject({
      title: "Freeze the payments API",
      decided_at: "2026-03-08T00:00:00Z",
      decided_on: "2026-03-08",
      decided_by: memberName,
      item_keys: ["RB-1", "RB-2"],
      milestone_keys: ["m1"],
      roadblock_id: rb.id,
      show_on_charts: true,
      path: `/teams/${team}/decisions/${made.id}`,
    });
    const hidden = await createDecision(member(REPORTED), team, { title: "Not on charts", rationale: "r" });
    expect(hidden.decided_at).toBe("2026-03-10T12:00:00Z");
    expect((await getDecisionDetail(viewer, team, made.id)).decision).toEqual(made);
    await expect(getDecisionDetail(outsider, other, made.id)).rejects.toMatchObject({ status: 404 });

    const charted = (from: string, to: string) => listDecisions(viewer, team, { from, to, charts: "1" }).then((l) => l.map((d) => d.title));
    expect(await charted("2026-03-01", "2026-03-31")).toEqual(["Freeze the payments API"]);
    expect(await charted("2026-03-09", "2026-03-31")).toEqual([]);
    expect(await charted("2026-03-08", "2026-03-08")).toEqual(["Freeze the payments API"]);
    await expect(listDecisions(viewer, team, { from: "2026-03-01", charts: "1" })).rejects.toMatchObject({ details: [{ where: "to" }] });

    const log = (await listDecisions(viewer, team)).map((d) => d.title);
    expect(log).toContain("Resolved: RB-1");
    expect(log.indexOf("Not on charts")).toBeLessThan(log.indexOf("Freeze the payments API"));
  });
  it("an import that rewrites the item's blocks keeps its roadblock's block, and an item removed and imported again gets it back", async () => {
    // A new item, with a tracker block of its own.
    const reimport = () =>
      importHistory(database.db, sourceOf(historyDoc(team, "UTC", [{ key: "RB-6", transitions: started, blocks: [{ start: "2026-03-09T00:00:00Z", end: "2026-03-09T06:00:00Z", reason: "flag" }] }])));
    await reimport();
    const rb = await reportRoadblock(member(REPORTED), team, { item: "RB-6", problem: "No test data", proposal: "Generate some", since: "2026-03-08T12:00:00Z" });
    const openSince = async () => (await blockers(REPORTED)).open.find((o) => o.key === "RB-6")?.blocked_since ?? null;
    expect(await openSince()).toBe("2026-03-08T12:00:00Z");
    // The same item again, its tracker block moved: the import rewrites the item's blocks.
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", [{ key: "RB-6", transitions: started, blocks: [{ start: "2026-03-09T01:00:00Z", end: "2026-03-09T06:00:00Z", reason: "flag" }] }])));
    const reasons = async () => {
      const [row] = await queryRows<{ reasons: string[] }>(database.db, sql`select array_agg(b.reason order by b.start) as reasons from blocks b join work_items i on i.id = b.item_id join teams t on t.id = i.team_id where t.key = ${team} and i.key = 'RB-6'`);
      return row!.reasons;
    };
    expect(await reasons()).toEqual(["Roadblock: No test data", "flag"]);
    expect(await openSince()).toBe("2026-03-08T12:00:00Z");
    // The item leaves the store (as a sync removes it) and comes back under its key.
    const [found] = await queryRows<{ id: number }>(database.db, sql`select i.id::float8 as id from work_items i join teams t on t.id = i.team_id where t.key = ${team} and i.key = 'RB-6'`);
    const id = found!.id;
    await database.db.execute(sql`delete from blocks where item_id = ${id}`);
    await database.db.execute(sql`delete from transitions where item_id = ${id}`);
    await database.db.execute(sql`delete from work_items where id = ${id}`);
    expect(await openSince()).toBeNull();
    await reimport();
    expect(await reasons()).toEqual(["Roadblock: No test data", "flag"]);
    expect(await openSince()).toBe("2026-03-08T12:00:00Z");
    expect((await getRoadblockDetail(viewer, team, rb.id)).roadblock.item_key).toBe("RB-6");
  });
});
