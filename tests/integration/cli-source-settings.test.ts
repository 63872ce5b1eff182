// `throughline source add --set`: dotted keys build nested connector settings (a GitHub project,
// the in-progress label), checked by the connector's own schema, whose errors name the key.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/client";
import { getSourceByName } from "../../lib/db/queries/sources";
import { engines, uniqueKey } from "../helpers/db";

const run = promisify(execFile);
const BIN = path.resolve("bin/throughline.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-cli-set-"));

describe.each(engines())("source add --set on $name", (engine) => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const dataDir = path.join(tmp, engine.name);
  if (engine.name === "pglite") {
    delete env.DATABASE_URL;
    env.THROUGHLINE_DATA_DIR = dataDir;
  }
  /** The settings stored for a source, read from the database the CLI wrote. */
  const stored = async (name: string) => {
    const database = engine.name === "pglite" ? await openDatabase({ dataDir }) : await engine.open();
    try {
      return (await getSourceByName(database.db, name))?.settings;
    } finally {
      await database.close();
    }
  };
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: tmp });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const add = (name: string, ...set: string[]) =>
    cli("source", "add", "--name", name, "--kind", "github", "--team", uniqueKey("cst"), "--secret-env", "THROUGHLINE_SECRET_CLI_GITHUB", ...set.flatMap((s) => ["--set", s]));

  it("nests dotted keys, and refuses a wrong key or value naming it, on one line", async () => {
    const project = uniqueKey("gh-project");
    const added = await add(project, "owner=acme", "repo=web", "project.owner=acme", "project.number=7", "project.field=Stage");
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining(`Added source "${project}"`) });
    const labelled = uniqueKey("gh-label");
    expect((await add(labelled, "owner=acme", "repo=web", "inProgress.label=doing", "inProgress.assignment=false")).code).toBe(0);
    expect(await stored(project)).toEqual({ owner: "acme", repo: "web", project: { owner: "acme", number: "7", field: "Stage" } });
    expect(await stored(labelled)).toEqual({ owner: "acme", repo: "web", inProgress: { label: "doing", assignment: "false" } });

    const refusals: [string[], string][] = [
      [["project.owner=acme", "project.numbr=7"], 'project: Unrecognized key: "numbr"'],
      [["project.owner=acme", "project.number=seven"], "project.number: must be a whole number, e.g. 7"],
      [["inProgress.lable=doing"], 'inProgress: Unrecognized key: "lable"'],
      [["inProgress.assignment=maybe"], "inProgress.assignment: must be true or false"],
      [["project.owner=acme", "project.number=7", "inProgress.label=doing"], "inProgress.label: leave it out with a project"],
      [["project=7", "project.number=7"], "--set project.number=7: project is set to a value already"],
      [["project.number=7", "project=7"], "--set project=7: project holds nested settings already"],
      [["project..number=7"], "--set project..number=7: a key is names joined by dots"],
      [["__proto__.polluted=yes"], "--set __proto__.polluted=yes: a key is names joined by dots"],
    ];
    for (const [set, message] of refusals) {
      const refused = await add(uniqueKey("gh-bad"), "owner=acme", "repo=web", ...set);
      expect(refused.code, set.join(" ")).not.toBe(0);
      expect(refused.stderr.trim().split("\n"), set.join(" ")).toHaveLength(1);
      expect(refused.stderr, set.join(" ")).toContain(message);
    }
  });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
