import { defineConfig } from "@playwright/test";

const PORT = 3100;
export const ADMIN_STATE = "test-results/e2e/.auth/admin.json";

// Debian's Chromium: Playwright's own browser downloads are not reachable from here.
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
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
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
