import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../lib/db/client";
import { loadDemo } from "../lib/demo/load";
import { getTeamByKey } from "../lib/db/queries/teams";
import { sumStatusFacts, sumWipFacts, listStateChangesOnAsOfDay, dayFactsTimezone } from "../lib/db/queries/day-facts";
import { listWipDeltas, countStatusWipByDate } from "../lib/db/queries/flow";
import { addDays, localDate } from "../lib/time/calendar";
const NOW = new Date();
const lite = await openDatabase({ dataDir: "memory://" });
await loadDemo(lite.db, { seed: 42, now: NOW });
const team = (await getTeamByKey(lite.db, "payments"))!;
const to = localDate(NOW, team.timezone);
const q = { teamId: team.id, timezone: team.timezone, asOf: NOW, from: addDays(to, -364), to };
console.log(await dayFactsTimezone(lite.db, team.id), team.timezone, (await queryRows(lite.db, sql`select count(*) from day_status_facts where team_id = ${team.id}`)));
const fns: Record<string, () => Promise<unknown>> = {
  statusFacts: () => sumStatusFacts(lite.db, q, addDays(to, -1), "end_of_day"),
  wipFacts: () => sumWipFacts(lite.db, q, addDays(to, -1)),
  changes: () => listStateChangesOnAsOfDay(lite.db, q, to),
  liveWip: () => listWipDeltas(lite.db, { ...q, from: to }),
  liveStatus: () => countStatusWipByDate(lite.db, { ...q, from: to }, ["In Progress"]),
};
for (const [m, fn] of Object.entries(fns)) {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) { const s = performance.now(); await fn(); times.push(performance.now() - s); }
  times.sort((a, b) => a - b);
  console.log(m, times[3]!.toFixed(1));
}
const plan = await queryRows(lite.db, sql`explain analyze select status, sum(delta)::int as delta from (
          select t.status, 1 as delta from transitions t
          where t.team_id = ${team.id} and t.at >= now() - interval '10 hours' and t.at <= now()
          union all
          select t.status, -1 from transitions t
          where t.team_id = ${team.id} and coalesce(t.until, 'infinity'::timestamptz) between now() - interval '10 hours' and now()
        ) c group by status`);
console.log(plan.map((r: any) => Object.values(r)[0]).join("\n"));
process.exit(0);
