// The drill-down lists against the numbers they explain: every day's list is as long as the wip
// metric's number and the cfd metric's by_status number, on every engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { importHistory } from "../../lib/ingest/history";
import { getDayItems } from "../../lib/metrics/day-items";
import { getTeamMetric, type MetricResults } from "../../lib/metrics/load";
import { eachDate } from "../../lib/time/calendar";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

const NOW = new Date("2030-01-01T00:00:00Z");

// Europe/Berlin; the spring DST change is on 2026-03-29.
const ITEMS = [
  // In progress Monday 15:00 to Wednesday 09:00: on Mon, Tue and Wed.
  { key: "A", transitions: [{ at: "2026-03-02T08:00:00Z", to: "Backlog" }, { at: "2026-03-02T15:00:00+01:00", to: "In Progress" }, { at: "2026-03-04T09:00:00+01:00", to: "Done" }] },
  // Leaves In Progress exactly at local midnight: not in progress on the 6th.
  { key: "B", type: "bug", transitions: [{ at: "2026-03-03T10:00:00Z", to: "In Progress" }, { at: "2026-03-06T00:00:00+01:00", to: "Review" }, { at: "2026-03-06T00:00:00+01:00", to: "Done" }] },
  // Enters In Progress exactly at local midnight: that is the 5th, not the 4th.
  { key: "C", transitions: [{ at: "2026-03-01T10:00:00Z", to: "Ready" }, { at: "2026-03-05T00:00:00+01:00", to: "In Progress" }, { at: "2026-03-07T10:00:00Z", to: "Blocked" }, { at: "2026-03-08T10:00:00Z", to: "Review" }] },
  // Through In Progress in no time (equal instants): never in progress.
  { key: "D", transitions: [{ at: "2026-03-03T12:00:00Z", to: "Ready" }, { at: "2026-03-04T12:00:00Z", to: "In Progress" }, { at: "2026-03-04T12:00:00Z", to: "Done" }] },
  // Reopened, and moved from one done status to another.
  { key: "E", transitions: [{ at: "2026-03-02T10:00:00Z", to: "In Progress" }, { at: "2026-03-03T10:00:00Z", to: "Done" }, { at: "2026-03-05T10:00:00Z", to: "In Progress" }, { at: "2026-03-06T10:00:00Z", to: "Done" }, { at: "2026-03-07T10:00:00Z", to: "Won't Do" }] },
  // Moved back to todo and restarted; twice in progress on the 2nd.
  { key: "F", transitions: [{ at: "2026-03-02T07:00:00Z", to: "In Progress" }, { at: "2026-03-02T09:00:00Z", to: "Backlog" }, { at: "2026-03-02T15:00:00Z", to: "In Progress" }, { at: "2026-03-09T10:00:00Z", to: "Done" }] },
  // Across the DST change, still in progress at the end.
  { key: "G", transitions: [{ at: "2026-03-28T22:30:00Z", to: "In Progress" }, { at: "2026-03-29T22:30:00Z", to: "Review" }] },
];

describe.each(engines())("day items on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("drill");
  const metric = async <M extends keyof MetricResults>(name: M, params: Record<string, string>) =>
    (await getTeamMetric(database.db, { metric: name, team, ...params }, NOW)) as MetricResults[M];
  const items = (params: Record<string, string>) => getDayItems(database.db, { team, ...params }, NOW);

  beforeAll(async () => {
    database = await engine.open();
    await importHistory(database.db, sourceOf(historyDoc(team, "Europe/Berlin", ITEMS)));
  });
  afterAll(async () => database?.close());

  for (const as_of of ["2026-04-02T12:00:00Z", "2026-03-05T12:00:00Z", "2026-03-06T00:00:00+01:00"]) {
    it(`every day's lists are as long as the wip and cfd numbers (as of ${as_of})`, async () => {
      const window = { from: "2026-03-01", to: "2026-03-31", as_of };
      const [wip, cfd] = await Promise.all([metric("wip", window), metric("cfd", window)]);
      for (const [i, date] of eachDate(window.from, window.to).entries()) {
        const day = await items({ date, kind: "wip", as_of });
        expect(day.items.length, `wip on ${date}`).toBe(wip.daily[i]!.wip);
        for (const status of cfd.statuses) {
          const band = await items({ date, kind: "status", status, as_of });
          expect(band.items.length, `${status} on ${date}`).toBe(cfd.daily[i]!.by_status[status]);
          expect(band.items.every((it) => it.status === status)).toBe(true);
        }
      }
    });
  }

  it("names the items, each with its status at the end of the day", async () => {
    const as_of = "2026-04-02T12:00:00Z";
    expect(await items({ date: "2026-03-02", kind: "wip", as_of })).toEqual({
      date: "2026-03-02",
      items: [
        { key: "A", title: "Item A", type: "story", status: "In Progress" },
        { key: "E", title: "Item E", type: "story", status: "In Progress" },
        { key: "F", title: "Item F", type: "story", status: "In Progress" },
      ],
    });
    expect((await items({ date: "2026-03-04", kind: "wip", as_of })).items.map((i) => [i.key, i.status])).toEqual([
      ["A", "Done"],
      ["B", "In Progress"],
      ["F", "In Progress"],
    ]);
    expect((await items({ date: "2026-03-05", kind: "wip", as_of })).items.map((i) => i.key)).toEqual(["B", "C", "E", "F"]);
    expect((await items({ date: "2026-03-08", kind: "status", status: "Won't Do", as_of })).items.map((i) => i.key)).toEqual(["E"]);
  });

  it("filters by type like the metrics do", async () => {
    const window = { from: "2026-03-03", to: "2026-03-05", as_of: "2026-04-02T12:00:00Z", type: "bug" };
    const wip = await metric("wip", window);
    const lists = await Promise.all(eachDate(window.from, window.to).map((date) => items({ date, kind: "wip", as_of: window.as_of, type: "bug" })));
    expect(lists.map((l) => l.items.map((i) => i.key))).toEqual([["B"], ["B"], ["B"]]);
    expect(wip.daily.map((d) => d.wip)).toEqual([1, 1, 1]);
  });

  it("refuses an unknown team, an unknown status and malformed input", async () => {
    await expect(getDayItems(database.db, { team: uniqueKey("nobody"), date: "2026-03-02", kind: "wip" }, NOW)).rejects.toMatchObject({ code: "TEAM_NOT_FOUND" });
    await expect(items({ date: "2026-03-02", kind: "status", status: "Shipped" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const malformed: Record<string, string>[] = [{ date: "2026-02-30", kind: "wip" }, { date: "2026-03-02", kind: "done" }, { date: "2026-03-02", kind: "status" }, { date: "2026-03-02", kind: "wip", as_of: "yesterday" }];
    for (const bad of malformed) {
      const error = await items(bad).catch((e: unknown) => e);
      expect(error, JSON.stringify(bad)).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("INVALID_INPUT");
    }
  });
});
