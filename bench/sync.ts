// The tracker sync bench: a Jira Cloud site on loopback that answers at once from pages built
// beforehand (10,000 issues, 100,000 changelog entries, fixed seed), synced into Postgres by a
// child process (bench/sync-child.ts) so its time and peak RSS are the sync's own.
import { execFile } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import { seededRandom } from "../lib/metrics/compute/random";

export const SYNC_ISSUES = 10_000;
export const SYNC_HISTORIES = 100_000;
const PAGE_SIZE = 100; // lib/connectors/jira/client.ts SEARCH_PAGE_SIZE
const ID_PAGE_SIZE = 5_000;
const EMAIL = "bench@example.com";
const TOKEN = "bench-api-token";
const JQL = "project = BENCH";
const HOUR = 3_600_000;

const STATUSES = [
  { id: "1", name: "To Do", statusCategory: { key: "new" } },
  { id: "2", name: "Ready", statusCategory: { key: "new" } },
  { id: "3", name: "In Progress", statusCategory: { key: "indeterminate" } },
  { id: "4", name: "In Review", statusCategory: { key: "indeterminate" } },
  { id: "5", name: "QA", statusCategory: { key: "indeterminate" } },
  { id: "6", name: "Done", statusCategory: { key: "done" } },
  { id: "7", name: "Released", statusCategory: { key: "done" } },
  { id: "8", name: "Won't Do", statusCategory: { key: "done" } },
];

const jiraInstant = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

/** Changelog entries per issue: 1 to 40, about 10 on average, 100,000 in all. */
function historyCounts(random: () => number): number[] {
  const counts = Array.from({ length: SYNC_ISSUES }, () => Math.min(40, 1 + Math.floor(-Math.log(1 - random()) * 9)));
  let total = counts.reduce((a, b) => a + b, 0);
  while (total !== SYNC_HISTORIES) {
    const i = Math.floor(random() * SYNC_ISSUES);
    const step = total < SYNC_HISTORIES ? 1 : -1;
    if (counts[i]! + step < 1 || counts[i]! + step > 40) continue;
    counts[i]! += step;
    total += step;
  }
  return counts;
}

/**
 * The site's issues, oldest update first. Every update is at least two days old, so an
 * incremental sync finds nothing new (as when nothing changed since the last one).
 */
export function generateIssues(now: Date, seed = 7): unknown[] {
  const random = seededRandom(seed);
  const counts = historyCounts(random);
  const end = now.getTime() - 2 * 24 * HOUR;
  const start = end - 365 * 24 * HOUR;
  const versions = Array.from({ length: 20 }, (_, v) => ({ id: String(20_000 + v), name: `1.${v}`, released: v < 15, releaseDate: new Date(start + (v + 1) * 17 * 24 * HOUR).toISOString().slice(0, 10) }));
  let historyId = 100_000;
  const issues = counts.map((count, i) => {
    const created = start + random() * (end - start - 60 * 24 * HOUR);
    let t = created;
    let status = 0;
    let flagged = false;
    const histories = Array.from({ length: count }, () => {
      t += (0.5 + random() * 30) * HOUR;
      const roll = random();
      let item: Record<string, unknown>;
      if (roll < 0.7) {
        const next = random() < 0.15 && status > 1 ? status - 1 : Math.min(STATUSES.length - 2, status + 1 + (random() < 0.05 ? 5 : 0));
        item = { field: "status", fieldtype: "jira", fieldId: "status", from: STATUSES[status]!.id, fromString: STATUSES[status]!.name, to: STATUSES[next]!.id, toString: STATUSES[next]!.name };
        status = next;
      } else if (roll < 0.8) {
        item = flagged
          ? { field: "Flagged", fieldtype: "custom", fieldId: "customfield_10021", from: "[10019]", fromString: "Impediment", to: null, toString: null }
          : { field: "Flagged", fieldtype: "custom", fieldId: "customfield_10021", from: null, fromString: null, to: "[10019]", toString: "Impediment" };
        flagged = !flagged;
      } else {
        item = { field: "assignee", fieldtype: "jira", fieldId: "assignee", from: null, fromString: null, to: `acct-${Math.floor(random() * 50)}`, toString: `Person ${Math.floor(random() * 50)}` };
      }
      return { id: String(++historyId), author: { accountId: "acct-1", displayName: "Someone" }, created: jiraInstant(Math.round(t)), items: [item] };
    });
    const version = random() < 0.3 ? versions[Math.floor(random() * versions.length)]! : null;
    return {
      id: String(10_000 + i),
      key: `BENCH-${i + 1}`,
      self: `https://bench.atlassian.net/rest/api/3/issue/${10_000 + i}`,
      fields: {
        summary: `Bench issue ${i + 1}: ${random() < 0.5 ? "fix" : "add"} the thing`,
        issuetype: { id: "10001", name: random() < 0.7 ? "Story" : "Bug", hierarchyLevel: 0 },
        status: STATUSES[status],
        project: { id: "10000", key: "BENCH" },
        created: jiraInstant(Math.round(created)),
        updated: jiraInstant(Math.round(t)),
        fixVersions: version ? [version] : [],
        parent: null,
        customfield_10021: flagged ? [{ value: "Impediment", id: "10019" }] : null,
      },
      changelog: { startAt: 0, maxResults: count, total: count, histories },
    };
  });
  return issues.sort((a, b) => Date.parse(a.fields.updated.replace("+0000", "Z")) - Date.parse(b.fields.updated.replace("+0000", "Z")));
}

/** Serves the issues as Jira Cloud's REST v3 does, every answer serialised before the first request. */
export async function startBenchJira(issues: unknown[]) {
  const authorization = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64")}`;
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const pages = new Map<string, Buffer>();
  for (let offset = 0; offset < issues.length; offset += PAGE_SIZE) {
    const next = offset + PAGE_SIZE < issues.length ? `page-${offset + PAGE_SIZE}` : undefined;
    pages.set(offset === 0 ? "" : `page-${offset}`, json({ issues: issues.slice(offset, offset + PAGE_SIZE), ...(next ? { nextPageToken: next } : {}), isLast: !next }));
  }
  const idPages = new Map<string, Buffer>();
  for (let offset = 0; offset < issues.length; offset += ID_PAGE_SIZE) {
    const next = offset + ID_PAGE_SIZE < issues.length ? `ids-${offset + ID_PAGE_SIZE}` : undefined;
    const ids = issues.slice(offset, offset + ID_PAGE_SIZE).map((i) => ({ id: (i as { id: string }).id }));
    idPages.set(offset === 0 ? "" : `ids-${offset}`, json({ issues: ids, ...(next ? { nextPageToken: next } : {}), isLast: !next }));
  }
  const updated = issues.map((i) => Date.parse((i as { fields: { updated: string } }).fields.updated.replace("+0000", "Z")));
  const answers = { myself: json({ accountId: "acct-bench", displayName: "Bench", emailAddress: EMAIL, timeZone: "UTC", active: true }), statuses: json(STATUSES) };
  let requests = 0;

  const server = http.createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? "/", "http://bench");
    const send = (status: number, body: Buffer) => {
      res.writeHead(status, { "content-type": "application/json", "content-length": body.length });
      res.end(body);
    };
    if (req.headers.authorization !== authorization) return send(401, json({ errorMessages: ["unauthorized"] }));
    if (url.pathname === "/rest/api/3/myself") return send(200, answers.myself);
    if (url.pathname === "/rest/api/3/status") return send(200, answers.statuses);
    if (url.pathname === "/rest/api/3/search/jql") {
      const jql = url.searchParams.get("jql") ?? "";
      const token = url.searchParams.get("nextPageToken") ?? "";
      if (url.searchParams.get("fields") === "id" && jql === `(${JQL})`) return send(200, idPages.get(token) ?? json({ errorMessages: ["Invalid nextPageToken"] }));
      if (jql === `(${JQL}) ORDER BY updated ASC`) {
        const page = pages.get(token);
        return page ? send(200, page) : send(400, json({ errorMessages: ["Invalid nextPageToken"] }));
      }
      // The account's timezone is UTC: the literal reads as UTC.
      const since = /^\(project = BENCH\) AND updated >= "(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})" ORDER BY updated ASC$/.exec(jql);
      if (!since) return send(400, json({ errorMessages: [`the bench site does not answer ${jql}`] }));
      const from = Date.parse(`${since[1]}T${since[2]}:00Z`);
      const first = updated.findIndex((u) => u >= from);
      const offset = (first < 0 ? issues.length : first) + Number(token.replace(/^since-/, "") || 0);
      const next = offset + PAGE_SIZE < issues.length ? `since-${offset + PAGE_SIZE - (first < 0 ? issues.length : first)}` : undefined;
      return send(200, json({ issues: issues.slice(offset, offset + PAGE_SIZE), ...(next ? { nextPageToken: next } : {}), isLast: !next }));
    }
    send(404, json({ errorMessages: ["not found"] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface SyncRun {
  ms: number;
  fetched: number;
  mapped: number;
  stored: number;
  unchanged: number;
  maxRssMb: number;
}

/** A full sync of a new source, then an incremental one with nothing changed, each in its own process. */
export async function benchSync(databaseUrl: string, now: Date): Promise<{ full: SyncRun; incremental: SyncRun; issues: number; histories: number }> {
  const issues = generateIssues(now);
  const site = await startBenchJira(issues);
  const run = async (mode: "full" | "incremental") => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=react-server", "--import", import.meta.resolve("tsx"), "bench/sync-child.ts", mode, site.url, EMAIL, JQL], {
      env: { ...process.env, DATABASE_URL: databaseUrl, THROUGHLINE_SECRET_BENCH_JIRA: TOKEN },
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split("\n").at(-1)!) as SyncRun;
  };
  try {
    const full = await run("full");
    const incremental = await run("incremental");
    return { full, incremental, issues: SYNC_ISSUES, histories: SYNC_HISTORIES };
  } finally {
    await site.close();
  }
}
