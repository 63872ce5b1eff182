// Imports: validation with clear errors, all-or-nothing transactions, idempotent re-imports.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "../../lib/db/client";
import { importRuns } from "../../lib/db/schema";
import { AppError } from "../../lib/errors";
import { openHistoryFile } from "../../lib/ingest/files";
import { importHistory } from "../../lib/ingest/history";
import { importKpis, readKpiCsv, readKpiJson } from "../../lib/ingest/kpi";
import { getTeamMetric, type MetricResults } from "../../lib/metrics/load";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf, WORKFLOW, type TestItem } from "../helpers/history";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-import-"));
const write = (name: string, content: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
};

const ITEMS: TestItem[] = [
  { key: "X-1", transitions: [{ at: "2026-02-02T09:00:00Z", to: "Backlog" }, { at: "2026-02-03T09:00:00Z", to: "In Progress" }, { at: "2026-02-05T09:00:00Z", to: "Done" }] },
  {
    key: "X-2",
    transitions: [{ at: "2026-02-02T09:00:00Z", to: "Backlog" }, { at: "2026-02-04T09:00:00Z", to: "In Progress" }],
    blocks: [{ start: "2026-02-04T12:00:00Z", end: "2026-02-05T12:00:00Z", reason: "waiting" }],
  },
];

async function expectImportError(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).message).toMatch(pattern);
  return error as AppError;
}

describe.each(engines())("imports on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  it("stores a document, and importing it again changes nothing", async () => {
    const team = uniqueKey("idem");
    const doc = historyDoc(team, "UTC", ITEMS, { milestones: [{ key: "m1", name: "M1", due_on: "2026-03-01", shipped_at: null }] });
    const first = await importHistory(database.db, sourceOf(doc));
    expect(first.counts).toMatchObject({ items: 2, created: 2, updated: 0, unchanged: 0, transitions: 5, blocks: 1, milestones: 1 });
    const before = await teamFootprint(database.db, team);
    const second = await importHistory(database.db, sourceOf(doc));
    expect(second.counts).toMatchObject({ items: 2, created: 0, updated: 0, unchanged: 2, transitions: 0, blocks: 0 });
    expect(await teamFootprint(database.db, team)).toEqual(before);
    const runs = await database.db.select().from(importRuns).where(eq(importRuns.teamKey, team));
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("replaces an item's transitions and blocks wholly when it changes", async () => {
    const team = uniqueKey("replace");
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", ITEMS)));
    const changed = [ITEMS[0]!, { key: "X-2", transitions: [{ at: "2026-02-02T09:00:00Z", to: "Backlog" }] }];
    const summary = await importHistory(database.db, sourceOf(historyDoc(team, "UTC", changed)));
    expect(summary.counts).toMatchObject({ created: 0, updated: 1, unchanged: 1, transitions: 1, blocks: 0 });
    const footprint = await teamFootprint(database.db, team);
    expect(footprint).toMatchObject({ items: 2, transitions: 4, blocks: 0 });
  });

  it("a later workflow re-derives stored items' facts", async () => {
    const team = uniqueKey("wf");
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", ITEMS)));
    const metric = async () =>
      (await getTeamMetric(database.db, { metric: "cycle-time", team, from: "2026-02-01", to: "2026-02-28", as_of: "2026-03-01T00:00:00Z" }, new Date())) as MetricResults["cycle-time"];
    expect((await metric()).items.map((i) => i.cycle_time_days)).toEqual([3]);
    // Now "In Progress" is a todo status (a queue): X-1 starts only when it is done.
    const workflow = WORKFLOW.map((s) => (s.status === "In Progress" ? { ...s, category: "todo" } : s));
    const summary = await importHistory(database.db, sourceOf({ ...historyDoc(team, "UTC", []), workflow }));
    expect(summary.counts.rederived).toBe(2);
    expect((await metric()).items.map((i) => i.cycle_time_days)).toEqual([1]);
  });

  it("refuses an unmapped status, naming it and the items that use it, and stores nothing", async () => {
    const team = uniqueKey("unmapped");
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", ITEMS)));
    const before = await teamFootprint(database.db, team);
    const bad = historyDoc(team, "Europe/Berlin", [
      ...ITEMS.map((i) => ({ ...i, title: "renamed" })),
      { key: "X-3", transitions: [{ at: "2026-02-02T09:00:00Z", to: "QA" }] },
      { key: "X-4", transitions: [{ at: "2026-02-02T09:00:00Z", to: "QA" }] },
    ]);
    const error = await expectImportError(importHistory(database.db, sourceOf(bad)), /status "QA" is not in the workflow; used by X-3, X-4/);
    expect(error.code).toBe("IMPORT_INVALID");
    expect(await teamFootprint(database.db, team)).toEqual(before);
    const [run] = await database.db.select().from(importRuns).where(eq(importRuns.teamKey, team)).orderBy(sql`id desc`).limit(1);
    expect(run).toMatchObject({ status: "failed", error: expect.stringMatching(/QA/) });
  });

  it("refuses a workflow that drops a status stored items use", async () => {
    const team = uniqueKey("drop");
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", ITEMS)));
    const before = await teamFootprint(database.db, team);
    const workflow = WORKFLOW.filter((s) => s.status !== "Backlog");
    await expectImportError(importHistory(database.db, sourceOf({ ...historyDoc(team, "UTC", []), workflow })), /"Backlog" is missing from the new workflow but stored items use it: X-1, X-2/);
    expect(await teamFootprint(database.db, team)).toEqual(before);
  });

  it("names the JSON path of wrong types, impossible dates and missing offsets", async () => {
    const team = uniqueKey("types");
    const doc = historyDoc(team, "UTC", ITEMS) as unknown as { items: Record<string, unknown>[] };
    doc.items[1] = { ...doc.items[1], created_at: "2026-02-30T10:00:00Z" };
    doc.items[0] = { ...doc.items[0], transitions: [{ at: "2026-02-02T09:00:00", to: "Backlog" }] };
    const error = await expectImportError(importHistory(database.db, sourceOf(doc)), /test\.json: items\[0\]\.transitions\[0\]\.at: must be an instant with an offset/);
    expect(error.details.map((d) => d.where)).toContain("test.json: items[1].created_at");
    expect(await teamFootprint(database.db, team)).toMatchObject({ teams: 0, items: 0 });
  });

  it("checks the document's header: version, timezone, blocks that end before they start, duplicate keys", async () => {
    const team = uniqueKey("header");
    await expectImportError(importHistory(database.db, sourceOf({ ...historyDoc(team, "UTC", ITEMS), version: 2 })), /version: must be 1/);
    await expectImportError(importHistory(database.db, sourceOf(historyDoc(team, "Mars/Olympus", ITEMS))), /team\.timezone: "Mars\/Olympus" is not an IANA timezone/);
    const backwards = historyDoc(team, "UTC", [{ ...ITEMS[0]!, blocks: [{ start: "2026-02-04T12:00:00Z", end: "2026-02-03T12:00:00Z" }] }]);
    await expectImportError(importHistory(database.db, sourceOf(backwards)), /items\[0\]\.blocks\[0\]\.end: a block may not end before it starts/);
    await expectImportError(importHistory(database.db, sourceOf(historyDoc(team, "UTC", [ITEMS[0]!, ITEMS[0]!]))), /item key "X-1" appears twice \(first at items\[0\]\)/);
    await expectImportError(importHistory(database.db, sourceOf(historyDoc(team, "UTC", [{ ...ITEMS[0]!, milestone: "nope" }]))), /milestone "nope" is not defined/);
    expect(await teamFootprint(database.db, team)).toMatchObject({ teams: 0, items: 0 });
  });

  it("reads files: malformed JSON with its line, a missing file, NDJSON with line numbers", async () => {
    await expectImportError(openHistoryFile(write("broken.json", '{\n  "version": 1,\n  "team": {,\n}')), /broken\.json: line 3, column \d+: not valid JSON/);
    await expectImportError(openHistoryFile(path.join(tmp, "nope.json")), /nope\.json: no such file/);

    const team = uniqueKey("nd");
    const { items, ...header } = historyDoc(team, "UTC", ITEMS);
    const ndjson = [JSON.stringify(header), ...items.map((i) => JSON.stringify(i))].join("\n") + "\n";
    const summary = await importHistory(database.db, await openHistoryFile(write(`${team}.ndjson`, ndjson)));
    expect(summary.counts).toMatchObject({ items: 2, created: 2 });
    const before = await teamFootprint(database.db, team);

    const broken = [JSON.stringify(header), JSON.stringify({ ...items[0], title: "changed" }), "{oops", JSON.stringify({ ...items[1], type: 7 })].join("\n");
    const error = await expectImportError(importHistory(database.db, await openHistoryFile(write(`${team}-bad.ndjson`, broken))), /line 3: not valid JSON/);
    expect(error.details.map((d) => d.where)).toContain(`${team}-bad.ndjson: line 4: type`);
    expect(await teamFootprint(database.db, team)).toEqual(before);
  });

  it("imports a flow CSV with dates in the team's timezone, and names the bad cell", async () => {
    const team = uniqueKey("csv");
    const csv = "key,title,type,Backlog,In Progress,Review,Done\nC-1,First,story,2026-03-01,2026-03-02 09:30,,2026-03-04T10:00:00Z\nC-2,Second,bug,2026-03-01,,,\nC-3,,task,,,,\n";
    const summary = await importHistory(database.db, await openHistoryFile(write("flow.csv", csv), { csv: { team, timezone: "Europe/Berlin" } }));
    expect(summary.counts).toMatchObject({ items: 2, created: 2, transitions: 4, skipped: 1 });
    expect(summary.skipped).toEqual({ "no status dates": 1 });
    const r = (await getTeamMetric(database.db, { metric: "cycle-time", team, from: "2026-03-01", to: "2026-03-31" }, new Date("2026-04-01T00:00:00Z"))) as MetricResults["cycle-time"];
    expect(r.items).toEqual([{ key: "C-1", started_at: "2026-03-02T08:30:00Z", finished_at: "2026-03-04T10:00:00Z", cycle_time_days: 3, cycle_time_hours: 49.5 }]);

    const bad = "key,title,type,Backlog,Done\nC-1,First,story,2026-03-01,yesterday\n";
    await expectImportError(
      openHistoryFile(write("bad.csv", bad), { csv: { team, timezone: "Europe/Berlin" } }).then((s) => importHistory(database.db, s)),
      /bad\.csv: line 2: column "Done": "yesterday" is not a date or an instant/,
    );
    await expectImportError(openHistoryFile(write("flow2.csv", csv)), /needs the team/);
  });

  it("imports KPI points from CSV and JSON, idempotently, and refuses bad rows", async () => {
    const kpi = uniqueKey("mrr");
    const csv = `kpi,date,value\n${kpi},2026-01-01,100\n${kpi},2026-01-02,110.5\n`;
    const first = await importKpis(database.db, await readKpiCsv("k.csv", Readable.from([csv]), { aggregation: "last" }));
    expect(first.counts).toEqual({ points: 2, kpis: 1, changed: 2, unchanged: 0 });
    const again = await importKpis(database.db, await readKpiCsv("k.csv", Readable.from([csv])));
    expect(again.counts).toEqual({ points: 2, kpis: 1, changed: 0, unchanged: 2 });
    const json = JSON.stringify({ kpi: { key: kpi, name: "MRR", unit: "USD", aggregation: "last" }, points: [{ date: "2026-01-02", value: 120 }] });
    expect((await importKpis(database.db, readKpiJson("k.json", json))).counts).toEqual({ points: 1, kpis: 1, changed: 1, unchanged: 0 });
    const rows = await queryRows<{ date: string; value: number; aggregation: string }>(
      database.db,
      sql`select p.date::text as date, p.value, k.aggregation::text as aggregation from kpi_points p join kpis k on k.id = p.kpi_id where k.key = ${kpi} order by p.date`,
    );
    expect(rows).toEqual([
      { date: "2026-01-01", value: 100, aggregation: "last" },
      { date: "2026-01-02", value: 120, aggregation: "last" },
    ]);

    await expectImportError(readKpiCsv("bad.csv", Readable.from([`kpi,date,value\n${kpi},2026-01-03,12\n${kpi},2026-02-30,1\n`])), /bad\.csv: line 3, column date: "2026-02-30" is not a date/);
    await expectImportError(readKpiCsv("bad.csv", Readable.from([`kpi,date,value\n${kpi},2026-01-03,lots\n`])), /line 2, column value: "lots" is not a number/);
    await expectImportError(importKpis(database.db, await readKpiCsv("dup.csv", Readable.from([`kpi,date,value\n${kpi},2026-01-05,1\n${kpi},2026-01-05,2\n`]))), /dup\.csv: line 3: a second value/);
    const count = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from kpi_points p join kpis k on k.id = p.kpi_id where k.key = ${kpi}`);
    expect(count[0]!.n).toBe(2);
    await expectImportError(Promise.resolve().then(() => readKpiJson("k.json", JSON.stringify({ kpi: { key: kpi, aggregation: "median" }, points: [] }))), /kpi\.aggregation: must be "sum", "last" or "avg"/);
  });
});

describe.each(engines())("odd names on $name", (engine) => {
  it("stores statuses and keys with quotes, commas, backslashes and braces as they are", async () => {
    const database = await engine.open();
    try {
      const team = uniqueKey("odd");
      const odd = 'Done, "really" \\ {ok}';
      const workflow = [{ status: "To do", category: "todo" }, { status: "Doing", category: "in_progress" }, { status: odd, category: "done" }];
      const doc = historyDoc(team, "UTC", [{ key: 'K,"1"}', transitions: [{ at: "2026-02-02T09:00:00Z", to: "To do" }, { at: "2026-02-03T09:00:00Z", to: "Doing", from: "To do" }, { at: "2026-02-04T09:00:00Z", to: odd, from: "Doing" }] }]);
      await importHistory(database.db, sourceOf({ ...doc, workflow }));
      const cfd = (await getTeamMetric(database.db, { metric: "cfd", team, from: "2026-02-04", to: "2026-02-04" }, new Date("2026-03-01T00:00:00Z"))) as MetricResults["cfd"];
      expect(cfd.daily[0]!.by_status).toEqual({ "To do": 0, Doing: 0, [odd]: 1 });
      const cycle = (await getTeamMetric(database.db, { metric: "cycle-time", team, from: "2026-02-01", to: "2026-02-28" }, new Date("2026-03-01T00:00:00Z"))) as MetricResults["cycle-time"];
      expect(cycle.items.map((i) => i.key)).toEqual(['K,"1"}']);
    } finally {
      await database.close();
    }
  });
});
