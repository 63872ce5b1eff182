// Syncs the bench's Jira source into DATABASE_URL in this process and reports time and peak RSS.
// `full`: adds the source and runs its first sync; `incremental`: syncs it again.
import { trackerFor } from "../lib/connectors";
import { openDatabase } from "../lib/db/client";
import { getSourceByName, insertSource } from "../lib/db/queries/sources";
import { env } from "../lib/env";
import { syncSource } from "../lib/ingest/sync";

const [mode, siteUrl, email, jql] = process.argv.slice(2);
const NAME = "bench-jira";
const database = await openDatabase({ url: env().DATABASE_URL, max: 2 });
if (mode === "full") {
  await insertSource(database.db, { name: NAME, kind: "jira", teamKey: NAME, settings: { siteUrl, email, jql }, secretEnv: "THROUGHLINE_SECRET_BENCH_JIRA" });
}
const source = (await getSourceByName(database.db, NAME))!;
// The bench site listens on loopback, which the outbound guard allows only when told to.
const target = trackerFor(source, { allow: ["127.0.0.1"], maxBytes: 20 * 1024 * 1024, timeoutMs: 60_000 });
const started = performance.now();
const summary = await syncSource(database.db, source, target);
const ms = performance.now() - started;
await database.close();
const { fetched, mapped, stored, unchanged } = summary.counts;
// maxRSS is in kilobytes.
process.stdout.write(JSON.stringify({ ms, fetched, mapped, stored, unchanged, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
