// Imports the given NDJSON files into DATABASE_URL in this process and reports time and peak RSS.
import { openDatabase } from "../lib/db/client";
import { env } from "../lib/env";
import { openHistoryFile } from "../lib/ingest/files";
import { importHistory } from "../lib/ingest/history";

const files = process.argv.slice(2);
const database = await openDatabase({ url: env().DATABASE_URL, max: 2 });
const started = performance.now();
let transitions = 0;
for (const file of files) {
  const summary = await importHistory(database.db, await openHistoryFile(file));
  transitions += summary.counts.transitions;
}
const ms = performance.now() - started;
await database.close();
// maxRSS is in kilobytes.
process.stdout.write(JSON.stringify({ ms, transitions, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
