// The CLI as a user runs it: a child process, exit codes, one-line errors, the spec's JSON.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/client";
import { getForecast } from "../../lib/metrics/forecast";
import { getTeamMetric } from "../../lib/metrics/load";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";
import { CONFIG_JQL, EMAIL, startFakeJira, TOKEN } from "../helpers/fake-jira";
import { historyDoc } from "../helpers/history";

const run = promisify(execFile);
const BIN = path.resolve("bin/throughline.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-cli-"));

const ITEMS = [
  { key: "K-1", transitions: [{ at: "2026-05-04T08:00:00Z", to: "Backlog" }, { at: "2026-05-04T09:00:00Z", to: "In Progress" }, { at: "2026-05-06T17:00:00Z", to: "Done" }] },
  { key: "K-2", transitions: [{ at: "2026-05-04T08:00:00Z", to: "In Progress" }], blocks: [{ start: "2026-05-05T08:00:00Z", end: null, reason: "waiting on legal" }] },
];

describe.each(engines())("the throughline CLI on $name", (engine) => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const dataDir = path.join(tmp, engine.name);
  if (engine.name === "pglite") {
    delete env.DATABASE_URL;
    env.THROUGHLINE_DATA_DIR = dataDir;
  }
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: tmp });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const team = uniqueKey("cli");
  const file = path.join(tmp, `${team}.json`);

  beforeAll(() => fs.writeFileSync(file, JSON.stringify(historyDoc(team, "America/New_York", ITEMS))));

  it("imports a history, then prints the same JSON as the API's function", async () => {
    const imported = await cli("import", "history", file);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/Imported 2 items into team "cli-[0-9a-f]+": 2 new/);
    const again = await cli("import", "history", file);
    expect(again.stdout).toMatch(/0 new, 0 changed, 2 unchanged/);

    const asOf = "2026-05-07T12:00:00Z";
    const printed = await cli("metrics", "blockers", "--team", team, "--as-of", asOf, "--json");
    expect(printed.code).toBe(0);
    const quality = JSON.parse((await cli("metrics", "quality", "--team", team, "--as-of", asOf, "--json")).stdout);
    const forecast = JSON.parse((await cli("metrics", "forecast", "--team", team, "--items", "3", "--seed", "7", "--as-of", asOf, "--json")).stdout);
    const database = engine.name === "pglite" ? await openDatabase({ dataDir }) : await engine.open();
    try {
      expect(quality).toEqual(await getTeamMetric(database.db, { metric: "quality", team, as_of: asOf }, new Date()));
      expect(quality.items_checked).toBe(2);
      expect(forecast).toEqual(await getForecast(database.db, { team, items: "3", seed: "7", as_of: asOf }, new Date()));
      expect(forecast).toMatchObject({ history_days: 30, trials: 10_000, how_many: null, when: { items: 3 } });
      const expected = await getTeamMetric(database.db, { metric: "blockers", team, as_of: asOf }, new Date());
      expect(JSON.parse(printed.stdout)).toEqual(expected);
      expect(expected).toEqual({
        open: [{ key: "K-2", blocked_since: "2026-05-05T08:00:00Z", age_days: 3, age_hours: 52, reasons: ["waiting on legal"] }],
        items: [{ key: "K-2", blocked_hours: 52 }],
      });
    } finally {
      await database.close();
    }
    const cycle = JSON.parse((await cli("metrics", "cycle-time", "--team", team, "--as-of", asOf, "--json")).stdout);
    expect(cycle.items).toEqual([{ key: "K-1", started_at: "2026-05-04T09:00:00Z", finished_at: "2026-05-06T17:00:00Z", cycle_time_days: 3, cycle_time_hours: 56 }]);
    const table = await cli("metrics", "cycle-time", "--team", team, "--as-of", asOf);
    expect(table.stdout).toMatch(/1 finished items\. Cycle time \(days\): p50 3/);

    const kpiFile = path.join(tmp, `${team}-kpi.csv`);
    fs.writeFileSync(kpiFile, `kpi,date,value\n${team}-mrr,2026-05-05,10\n${team}-mrr,2026-05-06,20\n`);
    expect((await cli("import", "kpi", kpiFile, "--aggregation", "last")).stdout).toMatch(/Imported 2 points for 1 KPI/);
    const impact = await cli("metrics", "milestone-impact", "--team", team, "--kpi", `${team}-mrr`, "--as-of", asOf, "--json");
    expect(JSON.parse(impact.stdout)).toEqual({ milestones: [] });
  });

  it("fails with one clear line and a non-zero code on bad input, storing nothing", async () => {
    const missing = await cli("import", "history", "nope.json");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("throughline: nope.json: no such file\n");

    const badTeam = uniqueKey("bad");
    const badFile = path.join(tmp, `${badTeam}.json`);
    fs.writeFileSync(badFile, JSON.stringify(historyDoc(badTeam, "UTC", [{ key: "B-1", transitions: [{ at: "2026-05-04T08:00:00Z", to: "Limbo" }] }])));
    const unmapped = await cli("import", "history", badFile);
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toMatch(/^throughline: .*status "Limbo" is not in the workflow; used by B-1\n$/);

    const unknownTeam = await cli("metrics", "wip", "--team", "no-such-team");
    expect(unknownTeam.code).toBe(1);
    expect(unknownTeam.stderr).toBe('throughline: No team with key "no-such-team".\n');

    const twoQuestions = await cli("metrics", "forecast", "--team", team, "--items", "3", "--by", "2026-06-01");
    expect(twoQuestions.code).toBe(1);
    expect(twoQuestions.stderr).toMatch(/^throughline: items: give exactly one of items .*, milestone .* or by .*\n$/);
    const noMilestone = await cli("metrics", "forecast", "--team", team, "--milestone", "nope");
    expect(noMilestone.stderr).toBe(`throughline: No milestone "nope" in team "${team}".\n`);

    const badDate = await cli("metrics", "wip", "--team", team, "--to", "2026-13-01");
    expect(badDate.stderr).toBe("throughline: to: must be a date written YYYY-MM-DD\n");
    expect(badDate.stderr).not.toMatch(/\n\s+at /);

    const database = engine.name === "pglite" ? await openDatabase({ dataDir }) : await engine.open();
    try {
      expect(await teamFootprint(database.db, badTeam)).toMatchObject({ teams: 0, items: 0 });
    } finally {
      await database.close();
    }
  });

  it("adds a Jira source, syncs it with its counts, lists and removes it; a secret outside THROUGHLINE_SECRET_* is refused", async () => {
    const jira = await startFakeJira();
    try {
      const source = uniqueKey("src");
      const jiraTeam = uniqueKey("jt");
      const withJira = { ...env, THROUGHLINE_FETCH_ALLOW: "127.0.0.1", THROUGHLINE_SECRET_CLI_JIRA: TOKEN };
      const jiraCli = async (...args: string[]) => {
        try {
          const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: withJira, cwd: tmp });
          return { code: 0, stdout, stderr };
        } catch (error) {
          const e = error as { code: number; stdout: string; stderr: string };
          return { code: e.code, stdout: e.stdout, stderr: e.stderr };
        }
      };
      const refused = await jiraCli("source", "add", "--name", source, "--kind", "jira", "--team", jiraTeam, "--secret-env", "DATABASE_URL", "--set", `siteUrl=${jira.url}`);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain("THROUGHLINE_SECRET_");
      const added = await jiraCli("source", "add", "--name", source, "--kind", "jira", "--team", jiraTeam, "--secret-env", "THROUGHLINE_SECRET_CLI_JIRA", "--set", `siteUrl=${jira.url}`, "--set", `email=${EMAIL}`, "--set", `jql=${CONFIG_JQL}`);
      expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining(`Added source "${source}"`) });
      const synced = await jiraCli("sync", source, "--json");
      expect(synced.code).toBe(0);
      const summary = JSON.parse(synced.stdout);
      expect(summary.counts.mapped).toBeGreaterThan(0);
      expect(summary.counts.stored).toBe(summary.counts.mapped);
      expect(synced.stdout).not.toContain(TOKEN);
      const listed = await jiraCli("source", "list");
      expect(listed.stdout).toContain(source);
      expect(listed.stdout).toContain(`stored ${summary.counts.stored}`);
      const history = await jiraCli("source", "history", source);
      expect(history.stdout).toMatch(/incremental succeeded/);
      expect((await jiraCli("source", "remove", source)).code).toBe(0);
      expect((await jiraCli("source", "list")).stdout).not.toContain(source);
    } finally {
      await jira.close();
    }
  });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
