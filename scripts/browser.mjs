// The browser the Playwright tests drive: found, else installed, else one line saying what to run.
// `npm test` runs this before `playwright test`; playwright.config.ts asks findBrowser() for the path.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

/**
 * CHROMIUM_PATH, then Debian's Chromium, then Playwright's own download. Returns the executable,
 * or "bundled" for Playwright's own (it finds that itself), or null.
 */
export function findBrowser() {
  const named = process.env.CHROMIUM_PATH;
  if (named) return fs.existsSync(named) ? named : null;
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (fs.existsSync(candidate)) return candidate;
  try {
    if (fs.existsSync(chromium.executablePath())) return "bundled";
  } catch {
    // no Playwright build for this platform
  }
  return null;
}

function run(command, args, timeoutMs) {
  const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "ignore"], timeout: timeoutMs });
  return result.status === 0;
}

function ensureBrowser() {
  if (process.env.CHROMIUM_PATH && !fs.existsSync(process.env.CHROMIUM_PATH)) {
    console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist: point it at a Chromium executable, or unset it.`);
    return 1;
  }
  if (findBrowser()) return 0;
  process.stderr.write("No Chromium found for the browser tests: installing one…\n");
  // Debian's package first when this runs as root with apt: it needs no access beyond the
  // distribution's mirror, where Playwright's download host may be unreachable.
  if (process.getuid?.() === 0 && fs.existsSync("/usr/bin/apt-get")) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore", env, timeout: 300_000 });
    spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", env, timeout: 600_000 });
    if (findBrowser()) return 0;
  }
  // Playwright's own download, where the network allows it (five minutes at most).
  if (run(process.execPath, [fileURLToPath(import.meta.resolve("@playwright/test/cli")), "install", "chromium"], 300_000) && findBrowser()) return 0;
  console.error("No Chromium for the browser tests: run `npx playwright install chromium` (or `sudo apt-get install chromium`), or set CHROMIUM_PATH to one.");
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(ensureBrowser());
