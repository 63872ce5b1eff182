#!/usr/bin/env node
// Runs the TypeScript CLI with tsx. The react-server condition lets it load the server-only lib/.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const home = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const result = spawnSync(
  process.execPath,
  // tsx is resolved from this checkout, so the CLI works from any working folder.
  ["--conditions=react-server", "--import", import.meta.resolve("tsx"), path.join(home, "cli", "index.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", env: { THROUGHLINE_HOME: home, ...process.env } },
);
process.exit(result.status ?? 1);
