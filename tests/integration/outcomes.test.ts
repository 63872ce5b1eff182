// Milestone impact on a KPI, with effort per milestone, on every engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client";
import { importHistory } from "../../lib/ingest/history";
import { importKpis } from "../../lib/ingest/kpi";
import { getMilestoneImpact } from "../../lib/metrics/outcomes";
import { addDays, daysBetween } from "../../lib/time/calendar";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

describe.each(engines())("milestone impact on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("out");
  const kpi = uniqueKey("rev");
  const growing = uniqueKey("mrr");
  const open = {
    shipped_on: null, before: null, after: null, change: null, relative_change: null, days_before: 0, days_after: 0,
    trend_after: null, change_vs_trend: null, relative_change_vs_trend: null, residual_sd: null,
  };
  const flat = {
    before: 100, after: 150, change: 50, relative_change: 0.5, days_before: 4, days_after: 4,
    trend_after: 100, change_vs_trend: 50, relative_change_vs_trend: 0.5, residual_sd: 0,
  };
  beforeAll(async () => {
    database = await engine.open();
    const doc = historyDoc(
      team,
      "Asia/Tokyo",
      [
        // Finished on local dates 03-02 → 03-04 (3 days) and 03-05 (1 day); one discarded; one open.
        { key: "M-1", milestone: "launch", transitions: [{ at: "2026-03-02T01:00:00Z", to: "In Progress" }, { at: "2026-03-04T01:00:00Z", to: "Done" }] },
        { key: "M-2", milestone: "launch", transitions: [{ at: "2026-03-05T01:00:00Z", to: "In Progress" }, { at: "2026-03-05T02:00:00Z", to: "Done" }] },
        { key: "M-3", milestone: "launch", transitions: [{ at: "2026-03-05T01:00:00Z", to: "In Progress" }, { at: "2026-03-06T02:00:00Z", to: "Won't Do" }] },
        { key: "M-4", milestone: "next", transitions: [{ at: "2026-03-05T01:00:00Z", to: "In Progress" }] },
      ],
      {
        milestones: [
          { key: "next", name: "Next", due_on: "2026-06-01", shipped_at: null },
          // 2026-03-09T20:00Z is 2026-03-10 in Tokyo.
          { key: "launch", name: "Launch", due_on: "2026-03-08", shipped_at: "2026-03-09T20:00:00Z" },
        ],
      },
    );
    await importHistory(database.db, sourceOf(doc));
    // 100 a day before the ship date, 150 from it on; one gap on each side.
    const points = [];
    for (let i = -10; i < 10; i++) {
      const date = addDays("2026-03-10", i);
      if (i === -2 || i === 3) continue;
      points.push({ kpi, date, value: i < 0 ? 100 : 150, segment: "", where: date });
    }
    await importKpis(database.db, { name: "kpi", redefine: true, definitions: [{ key: kpi, name: "Revenue", unit: "USD", aggregation: "sum" }], points });
    const linear = points.map((p) => {
      const x = daysBetween("2026-03-10", p.date);
      return { ...p, kpi: growing, value: 200 + 10 * x + (x >= 0 ? 30 : 0) };
    });
    await importKpis(database.db, { name: "kpi", redefine: true, definitions: [{ key: growing, name: "MRR", unit: "USD", aggregation: "last" }], points: linear });
  });
  afterAll(async () => database?.close());

  it("reports every milestone in the order given, with effort and before/after", async () => {
    const r = await getMilestoneImpact(database.db, { team, kpi, window: "5" }, new Date("2026-04-01T00:00:00Z"));
    expect(r).toEqual({
      milestones: [
        { ...open, key: "next", items: 0, effort_days: 0 },
        // A flat before side: its trend is 100, so the change against it equals the plain change.
        { ...flat, key: "launch", items: 2, effort_days: 4, shipped_on: "2026-03-10" },
      ],
    });
  });

  it("measures the change against the before side's trend (hand-computed)", async () => {
    // Before x = −5, −4, −3, −1 (no −2): 150, 160, 170, 190 = 200 + 10x; after x = 0, 1, 2, 4: 30 above the line.
    const r = await getMilestoneImpact(database.db, { team, kpi: growing, window: "5" }, new Date("2026-04-01T00:00:00Z"));
    expect(r.milestones[1]).toEqual({
      key: "launch",
      items: 2,
      effort_days: 4,
      shipped_on: "2026-03-10",
      before: 167.5,
      after: 247.5,
      change: 80,
      relative_change: 80 / 167.5,
      days_before: 4,
      days_after: 4,
      trend_after: 217.5,
      change_vs_trend: 30,
      relative_change_vs_trend: 30 / 217.5,
      residual_sd: 0,
    });
  });

  it("ignores what happens after as_of: the ship date, later points and later finishes", async () => {
    const early = await getMilestoneImpact(database.db, { team, kpi, as_of: "2026-03-05T00:00:00Z" }, new Date());
    expect(early.milestones[1]).toMatchObject({ key: "launch", items: 1, effort_days: 3, shipped_on: null, days_before: 0 });
    const onShipDay = await getMilestoneImpact(database.db, { team, kpi, window: "5", as_of: "2026-03-09T21:00:00Z" }, new Date());
    expect(onShipDay.milestones[1]).toMatchObject({ shipped_on: "2026-03-10", before: 100, after: 150, days_after: 1 });
  });

  it("refuses unknown KPIs and teams, and bad windows", async () => {
    await expect(getMilestoneImpact(database.db, { team, kpi: "nope" }, new Date())).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    await expect(getMilestoneImpact(database.db, { team: "nope", kpi }, new Date())).rejects.toMatchObject({ code: "TEAM_NOT_FOUND" });
    await expect(getMilestoneImpact(database.db, { team, kpi, window: "0" }, new Date())).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/window/) });
    await expect(getMilestoneImpact(database.db, { team }, new Date())).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/kpi/) });
  });
});
