import { openDatabase } from "../lib/db/client";
import { getTeamByKey } from "../lib/db/queries/teams";
import { listBlockedItems, listFinishedItems, countFinishedByDate, listWipDeltas, listFlowDeltas } from "../lib/db/queries/flow";
const db = (await openDatabase({ url: "postgres://postgres@127.0.0.1:5432/throughline_bench", migrate: false, max: 1 })).db;
const team = (await getTeamByKey(db, "bench-01"))!;
const q = { teamId: team.id, timezone: team.timezone, asOf: new Date(), from: "2025-12-02", to: "2026-12-01" };
for (const [name, fn] of Object.entries({ blocked: () => listBlockedItems(db, q), fin: () => listFinishedItems(db, q), tp: () => countFinishedByDate(db, q), wip: () => listWipDeltas(db, q), cfd: () => listFlowDeltas(db, q) })) {
  await fn(); const t = performance.now(); for (let i = 0; i < 5; i++) await fn(); console.log(name, ((performance.now() - t) / 5).toFixed(1));
}
process.exit(0);
