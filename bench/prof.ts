// Scratch: where one metric's time goes on the scale database (not part of `npm run bench`).
import { openDatabase, queryRows } from "../lib/db/client";
import { getTeamByKey } from "../lib/db/queries/teams";
import { listBlockedItems, listFinishedItems } from "../lib/db/queries/flow";
import { computeMetric } from "../lib/metrics/load";
import { addDays, localDate } from "../lib/time/calendar";
import { sql } from "drizzle-orm";
const url = process.env.URL ?? "postgres://postgres@127.0.0.1:5432/throughline_scale_100";
const db = (await openDatabase({ url, migrate: false, max: 1 })).db;
const team = (await getTeamByKey(db, process.env.TEAM ?? "scale-051"))!;
const asOf = new Date();
const to = localDate(asOf, team.timezone);
const q = { teamId: team.id, timezone: team.timezone, asOf, from: addDays(to, -364), to };
const w = { team, asOf, from: q.from, to };
const time = async (name: string, fn: () => Promise<unknown>) => {
  await fn(); await fn();
  const t = performance.now(); for (let i = 0; i < 10; i++) await fn(); console.log(name, ((performance.now() - t) / 10).toFixed(1), "ms");
};
console.log("spans", (await listBlockedItems(db, q)).reduce((n, i) => n + i.spans.length, 0), "items", (await listBlockedItems(db, q)).length);
await time("select 1", () => queryRows(db, sql`select 1`));
await time("listBlockedItems", () => listBlockedItems(db, q));
await time("listBlockedItems details", () => listBlockedItems(db, q, true));
await time("blockers", () => computeMetric(db, "blockers", w));
await time("blockers details", () => computeMetric(db, "blockers", { ...w, details: true }));
await time("listFinishedItems", () => listFinishedItems(db, q));
await time("cycle-time", () => computeMetric(db, "cycle-time", w));
await time("quality", () => computeMetric(db, "quality", w));
process.exit(0);
