import { defineConfig } from "@playwright/test";
import { findBrowser } from "./scripts/browser.mjs";

// E2E_PORT lets two checkouts on one machine run their browser tests side by side (the server
// also takes the next two ports for its OIDC provider and fake Jira).
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const ADMIN_STATE = "test-results/e2e/.auth/admin.json";

// CHROMIUM_PATH, Debian's Chromium or Playwright's own (scripts/browser.mjs, which `npm test` runs
// first, installs one when none is there). Playwright's downloads are not reachable everywhere.
const browser = findBrowser();
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: { executablePath: browser === "bundled" || browser === null ? undefined : browser, args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
  },
  projects: [
    // First run: set up the admin in the browser, and keep its session for the other tests.
    { name: "setup", testMatch: /first-run\.setup\.ts/, use: { browserName: "chromium" } },
    { name: "chromium", dependencies: ["setup"], use: { browserName: "chromium", storageState: ADMIN_STATE } },
  ],
  webServer: {
    // One production build per run, on a fresh embedded database with the demo (or on DATABASE_URL).
    command: `node scripts/e2e-server.mjs ${PORT}`,
    url: `http://localhost:${PORT}/api/teams`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
