// The CLI while the app holds the embedded database: this test process plays the app (it opens the
// folder with `serve`, as the Next server does), the real CLI runs beside it as a child process.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/client";
import { teamFootprint, uniqueKey } from "../helpers/db";
import { historyDoc } from "../helpers/history";

const run = promisify(execFile);
const BIN = path.resolve("bin/throughline.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-cli-serve-"));

async function cli(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: tmp });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the CLI while the app runs on the embedded database", () => {
  const team = uniqueKey("served");
  const file = path.join(tmp, `${team}.json`);

  beforeAll(() => {
    const items = [
      { key: "S-1", transitions: [{ at: "2026-05-04T08:00:00Z", to: "Backlog" }, { at: "2026-05-04T09:00:00Z", to: "In Progress" }, { at: "2026-05-06T17:00:00Z", to: "Done" }] },
      { key: "S-2", transitions: [{ at: "2026-05-04T08:00:00Z", to: "In Progress" }] },
    ];
    fs.writeFileSync(file, JSON.stringify(historyDoc(team, "UTC", items)));
  });

  it("imports and lists teams through the app's socket, and the app sees the rows", async () => {
    const dataDir = path.join(tmp, "served");
    const app = await openDatabase({ dataDir, serve: true });
    try {
      const imported = await cli(dataDir, "import", "history", file);
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/^throughline: using the running app's embedded database\n/);
      expect(imported.stdout).toMatch(/Imported 2 items into team "served-[0-9a-f]+": 2 new/);
      const teams = await cli(dataDir, "teams", "--json");
      expect(teams.code).toBe(0);
      expect(JSON.parse(teams.stdout)).toContainEqual(expect.objectContaining({ key: team }));
      expect(await teamFootprint(app.db, team)).toMatchObject({ teams: 1, items: 2 });

      expect(await cli(dataDir, "migrate")).toMatchObject({ code: 0, stdout: "Database is up to date.\n" });
      const worker = await cli(dataDir, "worker");
      expect(worker.code).toBe(1);
      expect(worker.stderr).toMatch(/its own scheduler runs the scheduled imports .*`throughline worker` needs Postgres/);
    } finally {
      await app.close();
    }
    // The app gone, the CLI opens the folder itself again.
    const alone = await cli(dataDir, "teams", "--json");
    expect(alone).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(alone.stdout)).toContainEqual(expect.objectContaining({ key: team }));
  });

  it("still refuses with DATABASE_BUSY when the holder serves nothing", async () => {
    const dataDir = path.join(tmp, "unserved");
    const holder = await openDatabase({ dataDir, migrate: false });
    try {
      const refused = await cli(dataDir, "teams");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `throughline: The embedded database in ${dataDir} is in use by process ${process.pid} (a running app?). Stop it first, or set DATABASE_URL to use a Postgres server.\n`,
      );
    } finally {
      await holder.close();
    }
  });
});
