// Builds the app once, loads the demo into a fresh database, and serves it for the browser tests.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { startOidcProvider } from "../tests/e2e/support/oidc-provider.mjs";

const port = process.argv[2] ?? "3100";
// A fixed session key for the test server only; the demo visit is offered on both engines.
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  THROUGHLINE_DATA_DIR: ".data/e2e",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-session-key-not-a-secret-0123456789",
  THROUGHLINE_DEMO: "1",
  // Sign-in through a generic OIDC provider: a local one (tests/e2e/support/oidc-provider.mjs).
  AUTH_OIDC_ISSUER: `http://127.0.0.1:${Number(port) + 1}`,
  AUTH_OIDC_ID: "throughline-e2e",
  AUTH_OIDC_SECRET: "e2e-oidc-client-secret",
  AUTH_OIDC_NAME: "Test SSO",
  // The Sources page syncs from a fake Jira Cloud site on loopback (tests/e2e/support/fake-jira-server.ts),
  // which the server fetches only because this allows it.
  THROUGHLINE_FETCH_ALLOW: "127.0.0.1",
  THROUGHLINE_SECRET_E2E_JIRA: "ATATT3xFfGF0-fake-api-token-9d1c",
};
if (env.DATABASE_URL && !/@(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(env.DATABASE_URL)) {
  console.error("e2e tests refuse to run against a non-local DATABASE_URL");
  process.exit(1);
}
fs.rmSync(path.resolve(".data/e2e"), { recursive: true, force: true });
if (env.DATABASE_URL) {
  // Its own fresh database beside the integration tests' one, so the pages show only the demo.
  const url = new URL(env.DATABASE_URL);
  const name = `${url.pathname.slice(1) || "postgres"}_e2e`;
  const admin = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
}
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit", env });
run(process.execPath, ["bin/throughline.mjs", "demo"]);
// The benchmark loads a share link; it is made here, while the embedded database is still free.
if (process.env.THROUGHLINE_BENCH_SHARE_FILE) {
  const path = execFileSync(process.execPath, ["bin/throughline.mjs", "share", "create", "--team", "payments"], { env, encoding: "utf8" }).trim();
  fs.writeFileSync(process.env.THROUGHLINE_BENCH_SHARE_FILE, path);
}
run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
const provider = await startOidcProvider({ port: Number(port) + 1, clientId: env.AUTH_OIDC_ID, clientSecret: env.AUTH_OIDC_SECRET });
const jira = spawn(process.execPath, ["--import", "tsx", "tests/e2e/support/fake-jira-server.ts", String(Number(port) + 2)], { stdio: "inherit", env });
// The heap limits of `npm start` (package.json): V8 otherwise lets garbage from 50 concurrent renders
// pile up to twice the server's working set before it collects (bench/page.ts measures the peak).
const server = spawn(process.execPath, ["--max-old-space-size=256", "--max-semi-space-size=4", "node_modules/next/dist/bin/next", "start", "--hostname", "localhost", "--port", port], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => {
  jira.kill(signal);
  server.kill(signal);
});
server.on("exit", (code) => {
  provider.close();
  jira.kill();
  process.exit(code ?? 0);
});
