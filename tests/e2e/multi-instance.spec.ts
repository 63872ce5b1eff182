// Past one machine: two `next start` processes and one worker on one Postgres database. A session,
// a share link, a rate limit and scheduled runs behave the same whichever process answers, because
// none of them lives in a process. Uses the e2e run's build (.next), never builds; its own database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const A = `http://localhost:${PORT + 10}`;
const B = `http://localhost:${PORT + 11}`;
const ADMIN = { email: "multi-admin@example.com", name: "Multi Admin", password: "multi admin password" };
/** The account the rate-limit test locks out (its own, so the admin can still sign in). */
const LIMITED = { email: "multi-limited@example.com", name: "Limited", password: "limited password 1" };
/** RATE_LIMITS.signInPerEmail (lib/services/rate-limit.ts): 10 attempts per 15 minutes. */
const SIGN_INS_PER_EMAIL = 10;
const WINDOW_MS = 15 * 60 * 1000;

// A database of this run's own on the local Postgres server (CI's DATABASE_URL names one; else the
// default local server), never the e2e server's, and never a remote one.
const server = new URL(process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
if (!/^(localhost|127\.0\.0\.1|\[::1\])$/.test(server.hostname)) throw new Error("the multi-instance test refuses a non-local DATABASE_URL");
const dbName = `${server.pathname.slice(1) || "postgres"}_multi_${process.pid}`;
const databaseUrl = Object.assign(new URL(server), { pathname: `/${dbName}` }).toString();
const adminUrl = Object.assign(new URL(server), { pathname: "/postgres" }).toString();

const importDir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-multi-"));
const logDir = path.resolve("test-results/e2e/multi-instance");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: databaseUrl,
  // What makes them one app: the same key signs every session cookie.
  AUTH_SECRET: "multi-instance-e2e-session-key-not-a-secret-42",
  THROUGHLINE_IMPORT_DIR: importDir,
  THROUGHLINE_PUBLIC_URL: A,
};
for (const name of ["AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET", "AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET", "THROUGHLINE_DATA_DIR", "THROUGHLINE_SCHEDULER"]) delete env[name];

const cli = (args: string[], input?: string) => execFileSync(process.execPath, ["bin/throughline.mjs", ...args], { env, encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] }).trim();

const children: ChildProcess[] = [];
/** A process of its own group, so stopping it stops what it started (tsx under the CLI's wrapper). */
function start(name: string, args: string[], extra: Record<string, string> = {}): ChildProcess {
  const log = fs.openSync(path.join(logDir, `${name}.log`), "w");
  const child = spawn(process.execPath, args, { env: { ...env, ...extra }, stdio: ["ignore", log, log], detached: true });
  children.push(child);
  return child;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what} (logs in ${logDir})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let sql: postgres.Sql;

/** Import runs of a schedule, as stored: what every instance's Settings page lists. */
const runsOf = (schedule: string) =>
  sql<{ id: number; status: string }[]>`select id, status from import_runs where source = ${`schedule:${schedule}`} order by id`;

async function signIn(page: Page, origin: string, who: { email: string; password: string }) {
  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email", { exact: true }).fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function signedIn(page: Page, origin: string) {
  await signIn(page, origin, ADMIN);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADMIN.name);
}

test.describe.configure({ mode: "serial" });
// Its own accounts on its own database: not the e2e server's admin.
test.use({ storageState: { cookies: [], origins: [] } });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fs.mkdirSync(logDir, { recursive: true });
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end();
  // Migrates and loads the demo, as the e2e server does; then the accounts and a schedule that fires
  // every minute, all before any process starts (each mirrors the schedules into pg-boss at boot).
  cli(["demo"]);
  cli(["user", "add", "--email", ADMIN.email, "--name", ADMIN.name, "--role", "admin", "--password-stdin"], ADMIN.password);
  cli(["user", "add", "--email", LIMITED.email, "--name", LIMITED.name, "--role", "viewer", "--password-stdin"], LIMITED.password);
  fs.writeFileSync(path.join(importDir, "every-minute.csv"), "kpi,date,value\nmulti_minute,2026-11-02,7\n");
  fs.writeFileSync(path.join(importDir, "run-now.csv"), "kpi,date,value\nmulti_now,2026-11-02,3\nmulti_now,2026-11-03,4\n");
  cli(["schedule", "add", "--name", "every-minute", "--cron", "* * * * *", "--file", "every-minute.csv"]);
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });

  const next = (port: number) => ["node_modules/next/dist/bin/next", "start", "--hostname", "localhost", "--port", String(port)];
  // A runs jobs (the default); B leaves them to workers but still queues and mirrors; one worker.
  start("app-a", next(PORT + 10));
  start("app-b", next(PORT + 11), { THROUGHLINE_SCHEDULER: "off" });
  start("worker", ["bin/throughline.mjs", "worker"]);
  await Promise.all([A, B].map((origin) => until(`${origin}/api/health`, async () => (await fetch(`${origin}/api/health`)).ok, 60_000)));
  await until("the worker", async () => fs.readFileSync(path.join(logDir, "worker.log"), "utf8").includes("Worker started"), 60_000);
});

test.afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const signal = (name: NodeJS.Signals) => {
            try {
              process.kill(-child.pid!, name);
            } catch {
              // The group is gone already.
            }
          };
          const timer = setTimeout(() => signal("SIGKILL"), 15_000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          signal("SIGTERM");
        }),
    ),
  );
  await sql?.end();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  fs.rmSync(importDir, { recursive: true, force: true });
});

test("a session made on instance A is accepted by instance B", async ({ page }) => {
  await signIn(page, A, ADMIN);
  await expect(page).toHaveURL(`${A}/`);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADMIN.name);
  // The same cookie (cookies are per host name, not per port): B knows the admin without a sign-in.
  await page.goto(`${B}/settings`);
  await expect(page).toHaveURL(`${B}/settings`);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADMIN.name);
  await page.goto(`${B}/teams/payments`);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADMIN.name);
  // One cookie, signed with the shared AUTH_SECRET: nothing of the session is kept in A.
  expect((await page.context().cookies(B)).map((c) => c.name)).toContain("authjs.session-token");
});

test("a share link made on A (by the CLI) opens on both, counts views on both, and revoked on B is 410 on A", async ({ page, request }) => {
  const link = cli(["share", "create", "--team", "payments"]);
  expect(link).toMatch(/^\/s\/[A-Za-z0-9_-]{32}$/);
  // No session: the token alone. B draws it; A draws it and keeps it; A again from its cache.
  for (const origin of [B, A, A]) {
    const response = await request.get(`${origin}${link}`);
    expect(response.status(), `${origin}${link}`).toBe(200);
    expect(await response.text()).toContain('data-testid="shared-view"');
  }
  await signedIn(page, A);
  await page.goto(`${B}/settings`);
  const row = page.getByTestId("share-links").locator("tbody tr").first();
  // Every visit counted in the one row, whichever instance (or cache) served it.
  await expect(row.getByTestId("share-views")).toHaveText("3");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toHaveAttribute("data-state", "revoked");
  // A had the page in its cache: the link is re-read on every request, so it is gone at once.
  for (const origin of [A, B]) {
    const response = await request.get(`${origin}${link}`);
    expect(response.status(), `${origin}${link} after revoking`).toBe(410);
    expect(await response.text()).not.toMatch(/PAY-\d+/);
  }
});

test("sign-in attempts on A count on B: the limit is reached by alternating them", async ({ page }) => {
  // Fixed 15-minute windows: start well inside one, so the attempts all fall in it.
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < 30_000) await page.waitForTimeout(left + 1_000);
  for (let i = 0; i < SIGN_INS_PER_EMAIL; i++) {
    await signIn(page, i % 2 === 0 ? A : B, { email: LIMITED.email, password: `wrong password ${i}` });
    await expect(page.getByTestId("signin-error"), `attempt ${i + 1}`).toHaveText("That email and password do not match an account.");
  }
  // The 11th, on either instance, is refused before any password is checked: the right one too.
  for (const origin of [A, B]) {
    await signIn(page, origin, LIMITED);
    await expect(page.getByTestId("signin-error"), origin).toHaveText("Too many sign-in attempts: try again in a few minutes.");
  }
  const [row] = await sql<{ hits: number }[]>`select sum(hits)::int as hits from rate_limits where key = ${`signin:email:${LIMITED.email}`}`;
  expect(row!.hits).toBe(SIGN_INS_PER_EMAIL + 2);
});

test("a scheduled import runs once, by whichever process takes it, and both instances show its run", async ({ page }) => {
  test.setTimeout(150_000);
  await signedIn(page, A);
  // Added on B, whose scheduler is off: it still reaches pg-boss at once.
  await page.goto(`${B}/settings`);
  const form = page.getByRole("form", { name: "Add a schedule" });
  await form.getByLabel("Name").fill("run-now");
  await form.getByLabel("Cron").fill("0 3 1 1 *");
  await form.getByLabel("or file in the import folder").fill("run-now.csv");
  await form.getByRole("button", { name: "Add schedule" }).click();
  await expect(page.getByTestId("schedule-ok")).toContainText('"run-now" added');
  const [schedule] = await sql<{ id: number }[]>`select id from import_schedules where name = 'run-now'`;
  const mirrored = await sql<{ cron: string }[]>`select cron from pgboss.schedule where name = 'kpi-import' and key = ${String(schedule!.id)}`;
  expect(mirrored).toEqual([{ cron: "0 3 1 1 *" }]);

  // "Run now" on B queues the job; A and the worker both poll the queue, and one of them runs it.
  await page.reload();
  await page.getByTestId("schedules").getByRole("row", { name: /run-now/ }).getByRole("button", { name: "Run now" }).click();
  await until("the run-now import", async () => (await runsOf("run-now")).some((r) => r.status === "succeeded"), 30_000);
  for (const origin of [A, B]) {
    await page.goto(`${origin}/settings`);
    await expect(page.getByTestId("runs").locator("tbody tr").filter({ hasText: "schedule:run-now" }), origin).toHaveCount(1);
    await expect(page.getByTestId("runs").locator("tbody tr").filter({ hasText: "schedule:run-now" })).toHaveAttribute("data-status", "succeeded");
  }
  await page.goto(`${B}/kpis`);
  await expect(page.getByText("multi_now").first()).toBeVisible();

  // The schedule added before the processes started fires every minute: A's and the worker's cron
  // monitors both look, yet each minute's occurrence is queued once and each job runs once.
  await until("a run of the every-minute schedule", async () => (await runsOf("every-minute")).some((r) => r.status === "succeeded"), 110_000);
  // Long enough for the other cron monitor's pass and the other worker's poll to have doubled it.
  await page.waitForTimeout(5_000);
  const [every] = await sql<{ id: number }[]>`select id from import_schedules where name = 'every-minute'`;
  // pg-boss files each occurrence under its minute (the send-it job's slot), forwards it as one
  // kpi-import job, and a worker runs that job: as many runs as jobs as minutes, none twice.
  const counts = async () => {
    const [row] = await sql<{ slots: number; forwards: number; jobs: number }[]>`select
      (select count(distinct data->>'slot')::int from pgboss.job where name = '__pgboss__send-it' and data->>'name' = 'kpi-import' and data->>'key' = ${String(every!.id)}) as slots,
      (select count(*)::int from pgboss.job where name = '__pgboss__send-it' and data->>'name' = 'kpi-import' and data->>'key' = ${String(every!.id)}) as forwards,
      (select count(*)::int from pgboss.job where name = 'kpi-import' and data->>'scheduleId' = ${String(every!.id)}) as jobs`;
    return { ...row!, runs: (await runsOf("every-minute")).length };
  };
  // A minute's occurrence caught between two of these steps settles within seconds.
  await expect.poll(async () => {
    const c = await counts();
    return c.slots >= 1 && c.slots === c.forwards && c.forwards === c.jobs && c.jobs === c.runs ? "once each" : JSON.stringify(c);
  }, { timeout: 20_000 }).toBe("once each");
  const runs = await runsOf("every-minute");
  expect(runs.filter((r) => r.status === "failed"), JSON.stringify(runs)).toEqual([]);
  expect((await runsOf("run-now")).length).toBe(1);
  for (const origin of [A, B]) {
    await page.goto(`${origin}/settings`);
    await expect(page.getByTestId("runs").locator('tbody tr[data-status="succeeded"]').filter({ hasText: "schedule:every-minute" }).first(), origin).toBeVisible();
  }
});
