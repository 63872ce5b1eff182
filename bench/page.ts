// The team dashboard and a shared view in headless Chromium: JavaScript shipped, time until every
// chart is drawn, and the memory of `next start` on the demo data under load.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { loadTest, type LoadResult } from "./load";

// BENCH_PORT lets two checkouts bench side by side (the server also takes the next two ports).
const PORT = Number(process.env.BENCH_PORT ?? 3200);
const CHARTS = ["cycle-time", "histogram", "throughput", "wip", "cfd", "aging", "blockers"];
const VIEWPORT = { width: 1280, height: 900 };
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** JavaScript a page loads, gzipped: for its first screen (no scrolling), and in all once scrolled to the end. */
export interface PageJs {
  firstScreenKb: number;
  firstScreenFiles: number;
  totalKb: number;
  totalFiles: number;
}

export interface PageBench {
  dashboardJs: PageJs;
  sharedJs: PageJs;
  drawnMs: number[];
  /** Navigation start → every chart on the page as a picture: the server's SVG (or empty-chart note), before any script. */
  picturedMs: number[];
  /** `next start` alone: its process (and any it spawns), not the test wrapper or its fake services. */
  serverPeakRssMb: number;
  /** The whole tree the bench starts: the wrapper (with the OIDC provider), the fake Jira, `next start`. */
  treePeakRssMb: number;
  /** Load at 50 connections: a share link, and the dashboard of a signed-in (demo) visitor. */
  load: { share: LoadResult; dashboard: LoadResult };
}

/** Signs the context in as the demo visitor (a viewer of every team, read-only). */
async function signInAsDemo(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(`http://localhost:${PORT}/signin`);
  await page.getByRole("button", { name: "Explore the demo (read-only)" }).click();
  await page.waitForURL(`http://localhost:${PORT}/`);
  await page.close();
}

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

/** Peak resident set of a process and its descendants: VmHWM is each process's own peak. */
function peakRssMb(rootPid: number): number {
  let total = 0;
  for (const pid of tree(rootPid)) {
    try {
      total += Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      // gone
    }
  }
  return total;
}

function tree(rootPid: number): number[] {
  const pids: number[] = [];
  const pending = [rootPid];
  while (pending.length) {
    const pid = pending.pop()!;
    pids.push(pid);
    try {
      const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
      if (children) pending.push(...children.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  return pids;
}

/** The `next start` process under the wrapper: Next names itself "next-server (vX)". */
function nextServerPid(rootPid: number): number {
  const pid = tree(rootPid).find((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").startsWith("next-server");
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error("no next-server process under the bench's server");
  return pid;
}

/**
 * Reads down the page as a reader does: waits until the charts on screen are drawn, then scrolls
 * one viewport on, to the end. The charts below the fold load only as they come near the viewport.
 */
async function scrollToEnd(page: Page) {
  for (;;) {
    await page.waitForFunction(
      (ids) =>
        ids.every((id) => {
          const chart = document.querySelector(`[data-testid=chart-${id}]`);
          const box = chart?.getBoundingClientRect();
          const onScreen = box && box.bottom > 0 && box.top < innerHeight;
          return !onScreen || chart!.querySelector(".recharts-surface path, .recharts-surface rect, .recharts-scatter-symbol, .empty-chart");
        }),
      CHARTS,
      { timeout: 30_000, polling: "raf" },
    );
    // Strings, not functions: tsx would wrap a named function in a helper the page does not have.
    if (await page.evaluate("scrollY >= document.documentElement.scrollHeight - innerHeight - 1")) return;
    await page.evaluate("scrollBy(0, innerHeight)");
  }
}

/**
 * Records when every chart of the page first has its picture (an SVG or the empty-chart note) in
 * the document: a string, not a function, for the reason scrollToEnd gives.
 */
const PICTURED_SCRIPT = `(() => {
  const ids = ${JSON.stringify(CHARTS)};
  const check = () => {
    if (ids.every((id) => { const c = document.querySelector("[data-testid=chart-" + id + "]"); return c && c.querySelector("svg, .empty-chart"); })) window.__chartsPicturedAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/** Every chart of the dashboard drawn by Recharts (or empty), the scatter's dots included. */
async function chartsDrawn(page: Page) {
  await page.waitForFunction(
    (ids) =>
      ids.every((id) => {
        const chart = document.querySelector(`[data-testid=chart-${id}]`);
        return chart && (chart.querySelector(".recharts-surface path, .recharts-surface rect, .recharts-scatter-symbol") || chart.querySelector(".empty-chart"));
      }) && document.querySelector("[data-testid=chart-cycle-time] .recharts-scatter-symbol"),
    CHARTS,
    { timeout: 30_000, polling: "raf" },
  );
}

/**
 * The scripts of one visit, gzipped: those loaded for the first screen (until the network is idle,
 * without scrolling), then all of them once the reader has scrolled to the end and every chart is drawn.
 */
async function measureJs(context: BrowserContext, url: string, pointAtCharts = false): Promise<PageJs> {
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.push(r.body().then((b) => gzipSync(b).length));
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const first = await Promise.all(scripts);
  // A shared view's charts load their interactive code when the reader points at them (hovering
  // scrolls each into view); the dashboard's as the reader scrolls near them.
  if (pointAtCharts) for (const chart of await page.locator(".lazy-chart").all()) await chart.hover();
  else await scrollToEnd(page);
  await chartsDrawn(page);
  await page.waitForLoadState("networkidle");
  const all = await Promise.all(scripts);
  await page.close();
  const kb = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0) / 1024;
  return { firstScreenKb: kb(first), firstScreenFiles: first.length, totalKb: kb(all), totalFiles: all.length };
}

export async function benchDashboard(runs = 5): Promise<PageBench> {
  // The embedded database: what a newcomer's `next start` runs on.
  const shareFile = path.join(os.tmpdir(), `throughline-bench-share-${process.pid}`);
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", THROUGHLINE_BENCH_SHARE_FILE: shareFile };
  delete env.DATABASE_URL;
  const server = spawn(process.execPath, ["scripts/e2e-server.mjs", String(PORT)], { env, stdio: ["ignore", "ignore", "inherit"] });
  try {
    await waitFor(`http://localhost:${PORT}/signin`, 600_000);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
    const sharePath = fs.readFileSync(shareFile, "utf8").trim();
    fs.rmSync(shareFile, { force: true });
    const drawnMs: number[] = [];
    const picturedMs: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      await signInAsDemo(context);
      const page = await context.newPage();
      await page.addInitScript(PICTURED_SCRIPT);
      await page.goto(`http://localhost:${PORT}/teams/payments`);
      // Charts below the fold load as they come near the viewport: the reader scrolls down to them.
      await scrollToEnd(page);
      await chartsDrawn(page);
      const drawn = await page.evaluate(() => performance.now());
      // Run 0 warms the server (first render of each route); runs 1… are measured.
      const pictured = Number(await page.evaluate("window.__chartsPicturedAt"));
      if (run > 0) drawnMs.push(drawn);
      if (run > 0) picturedMs.push(pictured);
      await context.close();
    }
    const dashboardContext = await browser.newContext({ viewport: VIEWPORT });
    await signInAsDemo(dashboardContext);
    const dashboardJs = await measureJs(dashboardContext, `http://localhost:${PORT}/teams/payments`);
    const cookie = (await dashboardContext.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await dashboardContext.close();
    // A share link's reader has no session.
    const sharedContext = await browser.newContext({ viewport: VIEWPORT });
    const sharedJs = await measureJs(sharedContext, `http://localhost:${PORT}${sharePath}`, true);
    await sharedContext.close();
    await browser.close();
    const share = await loadTest(`http://localhost:${PORT}${sharePath}`);
    const dashboard = await loadTest(`http://localhost:${PORT}/teams/payments`, { cookie });
    return {
      dashboardJs,
      sharedJs,
      drawnMs,
      picturedMs,
      serverPeakRssMb: peakRssMb(nextServerPid(server.pid!)),
      treePeakRssMb: peakRssMb(server.pid!),
      load: { share, dashboard },
    };
  } finally {
    server.kill("SIGTERM");
  }
}

/** The web part of bench/RESULTS.md: pages, memory, then load, each with its target. */
export function webTable(b: PageBench): string[] {
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const drawn = median(b.drawnMs);
  const pictured = median(b.picturedMs);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const js = (label: string, j: PageJs, target: string) => [
    `| JavaScript for the first screen of ${label} (gzipped, ${j.firstScreenFiles} files, no scrolling) | ${j.firstScreenKb.toFixed(0)} KB | ${target} |`,
    `| JavaScript of ${label} in all, scrolled to the end with every chart drawn (${j.totalFiles} files) | ${j.totalKb.toFixed(0)} KB | |`,
  ];
  const { share, dashboard } = b.load;
  return [
    "## Team dashboard and a shared view in headless Chromium (`next start`, embedded database, demo data)",
    "",
    "| what | measured | target |",
    "|---|---|---|",
    ...js("/teams/[team]", b.dashboardJs, "≤ 300 KB"),
    ...js("a shared dashboard (/s/[token])", b.sharedJs, "≤ 250 KB"),
    `| navigation start → all 7 charts drawn as the server's SVG, before any script runs (median of ${b.picturedMs.length}) | ${ms(pictured)} | ≤ 1500 ms |`,
    `| navigation start → all 7 charts interactive (drawn by Recharts), scrolling down as they load (median of ${b.drawnMs.length}) | ${ms(drawn)} | ≤ 1500 ms |`,
    `| peak RSS of \`next start\` (page and load runs) | ${b.serverPeakRssMb.toFixed(0)} MB | < 400 MB |`,
    `| peak RSS of the bench's whole server tree: \`next start\`, the test wrapper with its OIDC provider, the fake Jira | ${b.treePeakRssMb.toFixed(0)} MB | |`,
    "",
    "On the dashboard, charts below the fold load their interactive code when scrolled near; on a shared view, when the reader points at them (the bench hovers each). Until then (and before any script runs) they show the plain SVG the server rendered.",
    "",
    "## Load on `next start` over loopback (autocannon, 50 connections, 15 s, embedded database, demo data)",
    "",
    "| what | requests/s | p95 | errors / non-2xx | target |",
    "|---|---|---|---|---|",
    `| a share link (${share.requests} requests) | ${share.requestsPerSecond.toFixed(1)} | ${ms(share.p95Ms)} | ${share.errors} / ${share.non2xx} | ≥ 100 requests/s, p95 < 1 s, 0 errors |`,
    `| the payments dashboard, signed in (${dashboard.requests} requests) | ${dashboard.requestsPerSecond.toFixed(1)} | ${ms(dashboard.p95Ms)} | ${dashboard.errors} / ${dashboard.non2xx} | p95 < 2 s, 0 errors |`,
    "",
  ];
}
