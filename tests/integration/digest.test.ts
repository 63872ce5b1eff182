// The digest of a fixture team and week, from a history imported into the database: each line's
// numbers worked out by hand below (team in UTC, week Mon 2 – Sun 8 Mar 2026, as of Sun 23:59:59).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { roadblocks } from "../../lib/db/schema";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { importHistory } from "../../lib/ingest/history";
import { importKpis } from "../../lib/ingest/kpi";
import { getForecast } from "../../lib/metrics/forecast";
import { formatDate } from "../../lib/digest/content";
import { getDigest, getDigestFeed } from "../../lib/services/digest";
import { addDays } from "../../lib/time/calendar";
import { contextOf, makeUser, userActor } from "../helpers/accounts";
import { uniqueKey } from "../helpers/db";
import { freshEngines } from "../helpers/fresh-db";
import { historyDoc, sourceOf } from "../helpers/history";

const WEEK = "2026-03-02";
const AS_OF = "2026-03-08T23:59:59Z";
const NOW = new Date("2026-04-01T12:00:00Z");
const item = (key: string, start: string, done?: string, milestone?: string) => ({
  key,
  ...(milestone ? { milestone } : {}),
  transitions: [{ at: start, to: "In Progress" }, ...(done ? [{ at: done, to: "Done" }] : [])],
});

describe.each(freshEngines())("weekly digest content on $name", (engine) => {
  let database: Database;
  let drop: () => Promise<void>;
  const team = uniqueKey("dg");
  const other = uniqueKey("other");

  beforeAll(async () => {
    ({ database, drop } = await engine.open());
    await importHistory(
      database.db,
      sourceOf(
        historyDoc(
          team,
          "UTC",
          [
            // This week: cycle times 3 and 1 days.
            item("A1", "2026-03-02T09:00:00Z", "2026-03-04T09:00:00Z", "launch"),
            item("A2", "2026-03-03T09:00:00Z", "2026-03-03T15:00:00Z"),
            // The four weeks before (2 Feb – 1 Mar): 4, 6 and 2 days, one a week, none in the fourth.
            item("P1", "2026-02-02T09:00:00Z", "2026-02-05T09:00:00Z"),
            item("P2", "2026-02-10T09:00:00Z", "2026-02-15T09:00:00Z"),
            item("P3", "2026-02-20T09:00:00Z", "2026-02-21T09:00:00Z"),
            // In progress at as_of: W1 since 25 Feb (12 days old, nothing moved for 5 days), W2 since 7 Mar.
            item("W1", "2026-02-25T09:00:00Z", undefined, "rest"),
            item("W2", "2026-03-07T09:00:00Z", undefined, "rest"),
          ],
          {
            team: { key: team, name: "Digest team", timezone: "UTC", wip_limit: 1 },
            milestones: [
              { key: "launch", name: "Launch", shipped_at: "2026-03-05T12:00:00Z" },
              { key: "rest", name: "The rest", due_on: "2026-03-31" },
            ],
          },
        ),
      ),
    );
    await importHistory(database.db, sourceOf(historyDoc(other, "UTC", [item("O1", "2026-03-02T09:00:00Z", "2026-03-03T09:00:00Z")])));
    // A KPI exactly on a line before the launch (y = 100 + x, x = days from 5 Mar), 110 after it.
    const points = [];
    for (let x = -28; x <= 3; x++) points.push({ kpi: "dg-kpi", date: addDays("2026-03-05", x), value: x < 0 ? 100 + x : 110, segment: "", where: "t" });
    await importKpis(database.db, { name: "t", redefine: true, definitions: [{ key: "dg-kpi", name: "Signups", unit: null, aggregation: "avg" }], points });
    const teamId = (await getTeamByKey(database.db, team))!.id;
    await database.db.insert(roadblocks).values([
      { teamId, itemKey: "W1", problem: "Vendor API key expired", proposal: "Ask finance to renew it", supportNeeded: "Finance", since: new Date("2026-03-05T10:00:00Z"), reportedAt: new Date("2026-03-05T10:00:00Z") },
      // Answered before the week ended, and reported after it: neither is open at as_of.
      { teamId, itemKey: "W2", problem: "Decided", proposal: "x", since: new Date("2026-03-04T10:00:00Z"), reportedAt: new Date("2026-03-04T10:00:00Z"), decision: "resolved", decidedAt: new Date("2026-03-06T10:00:00Z") },
      { teamId, itemKey: "W2", problem: "Later", proposal: "y", since: new Date("2026-03-10T10:00:00Z"), reportedAt: new Date("2026-03-10T10:00:00Z") },
    ]);
  });
  afterAll(async () => drop?.());

  it("builds the team's week line by line, with the app's links", async () => {
    const admin = await makeUser(database, "admin");
    const page = await getDigest(contextOf(database, await userActor(database, admin), NOW), { team, week: WEEK });
    const d = page.digest;
    const q = `as_of=${encodeURIComponent(AS_OF)}`;
    const view = (from: string) => `/teams/${team}?from=${from}&to=2026-03-08&${q}`;
    const outcomes = `/outcomes?team=${team}&kpi=dg-kpi&${q}`;
    // The forecast of the API's ?milestone=rest (the engine's own numbers; trials are random).
    const when = (await getForecast(database.db, { team, milestone: "rest", as_of: AS_OF }, NOW)).when!;
    expect(d.title).toBe("Digest team: week 2026-W10");
    expect(d.period).toBe("2 Mar 2026 to 8 Mar 2026");
    expect(page.previousWeek).toBe("2026-02-23");
    expect(page.nextWeek).toBe("2026-03-09");
    expect(d.sections[0]!.lines).toEqual([
      // 2 this week; 1, 1, 1, 0 before: average 0.75.
      { text: "Throughput: 2 items finished, up from 0.8 a week on average in the previous four weeks (1, 1, 1, 0)", href: view("2026-02-02") },
      // [1, 3]: rank ceil(0.85 × 2) = 2 → 3; [2, 4, 6]: rank 3 → 6.
      { text: "Cycle time: 85% in 3 days or less, down from 6 in the previous four weeks (2 items this week)", href: view("2026-02-02") },
      // WIP per day: 2, 3, 2, 1, 1, 2, 2 against a limit of 1.
      { text: "WIP: over its limit of 1 on 5 of 7 days (1 to 3 items in progress)", href: view(WEEK) },
      // p85 of the 90 days' cycle times [1, 2, 3, 4, 6] is 6; W1 is 12 days old, W2 2.
      { text: "Aging: 1 item in progress is older than 85% of recent work (6 days): W1 (12 days)", href: view(WEEK) },
      { text: "Stalled: 1 item in progress has not moved for 5 days: W1", href: view("2025-12-09") },
      // Reported Thu 5 Mar: 5, 6, 7, 8 Mar.
      { text: "Roadblock on W1: Vendor API key expired. Proposal: Ask finance to renew it. Needs: Finance. Waiting for a decision for 4 days (since 5 Mar 2026)", href: `/teams/${team}/items/W1` },
      { text: "Shipped: Launch on 5 Mar 2026 (1 item, 3 cycle-time days)", href: outcomes },
      { text: `Forecast: The rest, 2 items open: 85% likely done by ${formatDate(when.p85!)} (50% by ${formatDate(when.p50!)}); due 31 Mar 2026`, href: outcomes },
      // Trend after = mean of 100 + x for x = 0…3 = 101.5; after = 110: +8.5, 8.5 / 101.5 = +8.4%; spread 0.
      { text: "Impact: Launch (shipped 5 Mar 2026) on Signups: +8.4% against its trend, beyond its usual variation", href: outcomes },
    ]);
    // W10: 97, 98, 99 and four days of 110 → 104.86; W09: 90 … 96 → 93; +12.7%.
    expect(d.sections[1]!.lines).toEqual([{ text: "Signups: 104.9 in 2026-W10, up from 93 in 2026-W09 (+12.7%)", href: outcomes }]);
    // The other team's numbers are in a leader's digest, never in this one.
    expect(JSON.stringify(d)).not.toContain(other);
  });

  it("gives a leader every team they see, and nothing of a team they do not see", async () => {
    const member = await makeUser(database, "member", [team]);
    const ctx = contextOf(database, await userActor(database, member), NOW);
    const leader = await getDigest(ctx, { week: WEEK });
    expect(leader.digest.title).toBe("Your teams: week 2026-W10");
    expect(leader.digest.sections.map((s) => s.title)).toEqual(["Digest team", "KPIs, week 2026-W10"]);
    await expect(getDigest(ctx, { team: other, week: WEEK })).rejects.toMatchObject({ code: "TEAM_NOT_FOUND" });
    await expect(getDigest(ctx, { team, week: "2026-03-03" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(getDigest(ctx, { team, week: "2026-05-04" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(getDigest(contextOf(database, SYSTEM, NOW), { team: other, week: WEEK })).resolves.toBeTruthy();
  });

  it("serves the last four weeks as Atom with absolute links", async () => {
    const xml = await getDigestFeed(contextOf(database, SYSTEM, new Date("2026-03-10T00:00:00Z")), { team }, "https://flow.example.com");
    expect(xml.match(/<entry>/g)).toHaveLength(4);
    expect(xml).toContain(`<id>https://flow.example.com/digest?team=${team}&amp;week=2026-03-02</id>`);
    expect(xml).toContain("Throughput: 2 items finished");
  });
});
