// The metric engine against hand-computed answers to the spec's edge cases, on every engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { importHistory } from "../../lib/ingest/history";
import { getTeamMetric, type MetricResults } from "../../lib/metrics/load";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

const AS_OF = "2026-04-10T12:00:00Z";

// Europe/Berlin: CET (+01:00) until 2026-03-29 02:00, CEST (+02:00) after.
const ITEMS = [
  // In progress Monday 15:00 to Wednesday 09:00: WIP on Mon, Tue and Wed.
  { key: "A", transitions: [{ at: "2026-03-02T08:00:00Z", to: "Backlog" }, { at: "2026-03-02T15:00:00+01:00", to: "In Progress" }, { at: "2026-03-04T09:00:00+01:00", to: "Done" }] },
  // Started and finished on the same day: cycle time 1.
  { key: "B", transitions: [{ at: "2026-03-10T08:00:00Z", to: "In Progress" }, { at: "2026-03-10T09:30:00Z", to: "Done" }] },
  // Across the spring DST change: 23:30 CET on the 28th to 00:30 CEST on the 30th.
  { key: "C", transitions: [{ at: "2026-03-28T22:30:00Z", to: "In Progress" }, { at: "2026-03-29T22:30:00Z", to: "Done" }] },
  // Discarded: no cycle time, no throughput.
  { key: "D", transitions: [{ at: "2026-03-05T10:00:00Z", to: "In Progress" }, { at: "2026-03-06T10:00:00Z", to: "Won't Do" }] },
  // Reopened: keeps its start, finishes at the last entry into done.
  { key: "E", transitions: [{ at: "2026-03-02T10:00:00Z", to: "In Progress" }, { at: "2026-03-03T10:00:00Z", to: "Done" }, { at: "2026-03-05T10:00:00Z", to: "In Progress" }, { at: "2026-03-09T10:00:00Z", to: "Done" }] },
  // Moved back to todo: the clock restarts.
  { key: "F", transitions: [{ at: "2026-03-01T10:00:00Z", to: "Backlog" }, { at: "2026-03-02T10:00:00Z", to: "In Progress" }, { at: "2026-03-03T10:00:00Z", to: "Backlog" }, { at: "2026-03-12T10:00:00Z", to: "In Progress" }, { at: "2026-03-13T10:00:00Z", to: "Done" }] },
  // Still in progress at as_of.
  { key: "G", transitions: [{ at: "2026-04-01T10:00:00Z", to: "Backlog" }, { at: "2026-04-05T10:00:00Z", to: "In Progress" }] },
  // Blocked by a flag, then by a blocked status: one open blocker with both reasons.
  {
    key: "H",
    transitions: [{ at: "2026-04-08T10:00:00Z", to: "In Progress" }, { at: "2026-04-09T10:00:00Z", to: "Blocked" }],
    blocks: [{ start: "2026-04-09T08:00:00Z", end: null, reason: "vendor" }],
  },
  // Enters In Progress exactly at local midnight: that belongs to the next day.
  { key: "I", transitions: [{ at: "2026-03-19T10:00:00Z", to: "Backlog" }, { at: "2026-03-20T00:00:00+01:00", to: "In Progress" }, { at: "2026-03-21T12:00:00Z", to: "Done" }] },
  // Finished with its flag never cleared: blocked until the finish, not an open blocker.
  { key: "J", transitions: [{ at: "2026-03-16T10:00:00Z", to: "In Progress" }, { at: "2026-03-18T10:00:00Z", to: "Done" }], blocks: [{ start: "2026-03-17T10:00:00Z", end: null, reason: "flag" }] },
];

describe.each(engines())("flow metrics on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("berlin");
  const metric = async <M extends keyof MetricResults>(name: M, params: Record<string, string> = {}) =>
    (await getTeamMetric(database.db, { metric: name, team, as_of: AS_OF, ...params }, new Date("2030-01-01T00:00:00Z"))) as MetricResults[M];

  beforeAll(async () => {
    database = await engine.open();
    await importHistory(database.db, sourceOf(historyDoc(team, "Europe/Berlin", ITEMS)));
  });
  afterAll(async () => database?.close());

  it("cycle time: local dates + 1, exact hours, discarded excluded, ordered by finish", async () => {
    const r = await metric("cycle-time", { from: "2026-03-01", to: "2026-03-31" });
    expect(r.items.map((i) => [i.key, i.cycle_time_days, i.cycle_time_hours])).toEqual([
      ["A", 3, 42],
      ["E", 8, 168],
      ["B", 1, 1.5],
      ["F", 2, 24],
      ["J", 3, 48],
      ["I", 2, 37],
      ["C", 3, 24],
    ]);
    expect(r.count).toBe(7);
    expect(r.items[0]).toEqual({ key: "A", started_at: "2026-03-02T14:00:00Z", finished_at: "2026-03-04T08:00:00Z", cycle_time_days: 3, cycle_time_hours: 42 });
    // 1,2,2,3,3,3,8 by nearest rank.
    expect(r.percentiles).toEqual({ p50: 3, p70: 3, p85: 3, p95: 8 });
  });

  it("cycle time selects by the local date of the finish", async () => {
    // C finished 2026-03-29T22:30Z, which is 2026-03-30 in Berlin.
    const r = await metric("cycle-time", { from: "2026-03-30", to: "2026-03-30" });
    expect(r.items.map((i) => i.key)).toEqual(["C"]);
    // C started before this window: its start's local date is not among the window's days, and
    // its cycle time is the one the whole month gives it.
    expect(r.items[0]).toMatchObject({ cycle_time_days: 3, cycle_time_hours: 24 });
    expect((await metric("throughput", { from: "2026-03-30", to: "2026-03-30" })).daily).toEqual([{ date: "2026-03-30", count: 1 }]);
    const none = await metric("cycle-time", { from: "2026-03-29", to: "2026-03-29" });
    expect(none).toEqual({ count: 0, percentiles: { p50: null, p70: null, p85: null, p95: null }, items: [] });
  });

  it("as_of ignores everything after it (E was done on the 3rd, then reopened)", async () => {
    const r = await metric("cycle-time", { from: "2026-03-01", to: "2026-03-03", as_of: "2026-03-03T12:00:00Z" });
    expect(r.items.map((i) => [i.key, i.cycle_time_days])).toEqual([["E", 2]]);
    const reopened = await metric("cycle-time", { from: "2026-03-01", to: "2026-03-06", as_of: "2026-03-06T12:00:00Z" });
    expect(reopened.items.map((i) => i.key)).toEqual(["A"]);
  });

  it("throughput: every day and ISO week of the window, partial weeks counted inside the window", async () => {
    const r = await metric("throughput", { from: "2026-03-01", to: "2026-03-31" });
    expect(r.daily).toHaveLength(31);
    expect(r.daily.filter((d) => d.count > 0)).toEqual([
      { date: "2026-03-04", count: 1 },
      { date: "2026-03-09", count: 1 },
      { date: "2026-03-10", count: 1 },
      { date: "2026-03-13", count: 1 },
      { date: "2026-03-18", count: 1 },
      { date: "2026-03-21", count: 1 },
      { date: "2026-03-30", count: 1 },
    ]);
    expect(r.weekly).toEqual([
      { week: "2026-W09", count: 0 },
      { week: "2026-W10", count: 1 },
      { week: "2026-W11", count: 3 },
      { week: "2026-W12", count: 2 },
      { week: "2026-W13", count: 0 },
      { week: "2026-W14", count: 1 },
    ]);
  });

  it("wip: items in progress at any instant of the local day", async () => {
    const r = await metric("wip", { from: "2026-03-01", to: "2026-03-06" });
    expect(r.daily).toEqual([
      { date: "2026-03-01", wip: 0 },
      { date: "2026-03-02", wip: 3 },
      { date: "2026-03-03", wip: 3 },
      { date: "2026-03-04", wip: 1 },
      { date: "2026-03-05", wip: 2 },
      { date: "2026-03-06", wip: 2 },
    ]);
    expect(r.limits).toBeUndefined();
  });

  it("wip: a day is capped at as_of, and a spell ending exactly at midnight does not reach the next day", async () => {
    // G entered In Progress 2026-04-05T10:00Z; as of 09:00Z that day it is not in progress yet.
    const early = await metric("wip", { from: "2026-04-05", to: "2026-04-05", as_of: "2026-04-05T09:00:00Z" });
    expect(early.daily).toEqual([{ date: "2026-04-05", wip: 0 }]);
    const later = await metric("wip", { from: "2026-04-05", to: "2026-04-05", as_of: "2026-04-05T10:00:00Z" });
    expect(later.daily).toEqual([{ date: "2026-04-05", wip: 1 }]);
  });

  it("cfd: status at the end of each day; a transition at midnight belongs to the next day", async () => {
    const r = await metric("cfd", { from: "2026-03-19", to: "2026-03-20" });
    expect(r.statuses).toEqual(["Backlog", "Ready", "In Progress", "Blocked", "Review", "Done", "Won't Do"]);
    expect(r.daily[0]).toEqual({
      date: "2026-03-19",
      by_status: { Backlog: 1, Ready: 0, "In Progress": 0, Blocked: 0, Review: 0, Done: 5, "Won't Do": 1 },
      by_category: { todo: 1, in_progress: 0, done: 6 },
    });
    expect(r.daily[1]!.by_status).toMatchObject({ Backlog: 0, "In Progress": 1, Done: 5 });
    expect(r.daily[1]!.by_category).toEqual({ todo: 0, in_progress: 1, done: 6 });
  });

  it("cfd: the day holding as_of counts transitions at or before as_of", async () => {
    const r = await metric("cfd", { from: "2026-04-05", to: "2026-04-05", as_of: "2026-04-05T10:00:00Z" });
    expect(r.daily[0]!.by_status["In Progress"]).toBe(1);
    const before = await metric("cfd", { from: "2026-04-05", to: "2026-04-05", as_of: "2026-04-05T09:59:59Z" });
    expect(before.daily[0]!.by_status["In Progress"]).toBe(0);
    expect(before.daily[0]!.by_status["Backlog"]).toBe(1);
  });

  it("aging: age in local days, exceeds against the last 90 days' cycle-time percentiles", async () => {
    const r = await metric("aging");
    expect(r.items).toEqual([
      { key: "G", status: "In Progress", started_at: "2026-04-05T10:00:00Z", age_days: 6, age_hours: 122, exceeds: "p85" },
      { key: "H", status: "Blocked", started_at: "2026-04-08T10:00:00Z", age_days: 3, age_hours: 50, exceeds: null },
    ]);
  });

  it("blockers: merged open blocker with its reasons; finished items keep their blocked hours", async () => {
    const r = await metric("blockers");
    expect(r.open).toEqual([{ key: "H", blocked_since: "2026-04-09T08:00:00Z", age_days: 2, age_hours: 28, reasons: ["vendor", "Blocked"] }]);
    expect(r.items).toEqual([
      { key: "H", blocked_hours: 28 },
      { key: "J", blocked_hours: 24 },
    ]);
  });

  it("details=1 adds each listed item's title (and for cycle time its type and link)", async () => {
    const cycle = await metric("cycle-time", { from: "2026-03-01", to: "2026-03-31", details: "1" });
    expect(cycle.items.find((i) => i.key === "A")).toMatchObject({ title: "Item A", type: expect.any(String), cycle_time_days: 3 });
    expect(cycle.items.every((i) => "url" in i)).toBe(true);
    expect((await metric("aging", { details: "1" })).items.map((i) => [i.key, i.title])).toEqual([["G", "Item G"], ["H", "Item H"]]);
    expect((await metric("blockers", { details: "1" })).open.map((i) => [i.key, i.title])).toEqual([["H", "Item H"]]);
    // Without details, no titles are read or sent.
    expect((await metric("blockers")).open[0]).not.toHaveProperty("title");
    expect((await metric("cycle-time", { from: "2026-03-01", to: "2026-03-31" })).items[0]).not.toHaveProperty("title");
  });

  it("filters by item type", async () => {
    const r = await metric("cycle-time", { from: "2026-03-01", to: "2026-03-31", type: "bug" });
    expect(r.count).toBe(0);
  });

  it("rejects bad parameters and unknown teams with clear errors", async () => {
    await expect(metric("cycle-time", { from: "2026-02-30" })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/^from: /) });
    await expect(metric("cycle-time", { from: "2026-03-05", to: "2026-03-01" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(metric("cycle-time", { as_of: "2026-03-05T10:00:00" })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/as_of/) });
    const unknown = getTeamMetric(database.db, { metric: "wip", team: "no-such-team" }, new Date());
    await expect(unknown).rejects.toBeInstanceOf(AppError);
    await expect(unknown).rejects.toMatchObject({ code: "TEAM_NOT_FOUND", status: 404 });
    await expect(getTeamMetric(database.db, { metric: "velocity", team }, new Date())).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe.each(engines())("WIP details on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("wip");
  beforeAll(async () => {
    database = await engine.open();
    const workflow = [
      { status: "Backlog", category: "todo" },
      { status: "Doing", category: "in_progress", wip_limit: 1 },
      { status: "Review", category: "in_progress" },
      { status: "Done", category: "done" },
    ];
    const doc = historyDoc(team, "UTC", [
      // In progress twice on the 2nd (pulled back to todo in between): counts once that day.
      { key: "W-1", transitions: [{ at: "2026-06-02T08:00:00Z", to: "Doing" }, { at: "2026-06-02T10:00:00Z", to: "Backlog" }, { at: "2026-06-02T15:00:00Z", to: "Doing" }, { at: "2026-06-03T00:00:00Z", to: "Done" }] },
      // Doing then Review on the 2nd: one item on the team's WIP, one in each status.
      { key: "W-2", transitions: [{ at: "2026-06-02T09:00:00Z", to: "Doing" }, { at: "2026-06-02T12:00:00Z", to: "Review" }, { at: "2026-06-04T12:00:00Z", to: "Done" }] },
      // In and out of progress at the same instant: never in progress.
      { key: "W-3", transitions: [{ at: "2026-06-05T09:00:00Z", to: "Doing" }, { at: "2026-06-05T09:00:00Z", to: "Done" }] },
    ]);
    await importHistory(database.db, sourceOf({ ...doc, team: { ...doc.team, wip_limit: 1 }, workflow }));
  });
  afterAll(async () => database?.close());

  it("counts each item once a day, flags days over the team's and a status's limit", async () => {
    const r = (await getTeamMetric(database.db, { metric: "wip", team, from: "2026-06-01", to: "2026-06-05", as_of: "2026-06-10T00:00:00Z" }, new Date())) as MetricResults["wip"];
    expect(r.limits).toEqual({ team: 1, statuses: { Doing: 1 } });
    expect(r.daily).toEqual([
      { date: "2026-06-01", wip: 0, by_status: { Doing: 0 }, over_limit: false },
      { date: "2026-06-02", wip: 2, by_status: { Doing: 2 }, over_limit: true },
      { date: "2026-06-03", wip: 1, by_status: { Doing: 0 }, over_limit: false },
      { date: "2026-06-04", wip: 1, by_status: { Doing: 0 }, over_limit: false },
      { date: "2026-06-05", wip: 0, by_status: { Doing: 0 }, over_limit: false },
    ]);
  });
});
