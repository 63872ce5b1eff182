// The team dashboard in headless Chromium: JavaScript shipped, time until every chart is drawn,
// and the server's memory on the demo data.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "@playwright/test";
import { loadTest, type LoadResult } from "./load";

const PORT = 3200;
const CHARTS = ["cycle-time", "histogram", "throughput", "wip", "cfd", "aging", "blockers"];
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export interface PageBench {
  jsGzipKb: number;
  jsFiles: number;
  drawnMs: number[];
  serverPeakRssMb: number;
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

function peakRssMb(rootPid: number): number {
  // The server and its children: VmHWM is each process's peak resident set.
  let total = 0;
  const pending = [rootPid];
  while (pending.length) {
    const pid = pending.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      total += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
      if (children) pending.push(...children.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  return total;
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
    let jsBytes = 0;
    let jsFiles = 0;
    const drawnMs: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await signInAsDemo(context);
      const page = await context.newPage();
      const scripts: Promise<Buffer>[] = [];
      if (run === 1) page.on("response", (r) => r.request().resourceType() === "script" && scripts.push(r.body()));
      await page.goto(`http://localhost:${PORT}/teams/payments`);
      await page.waitForFunction(
        (ids) =>
          ids.every((id) => {
            const chart = document.querySelector(`[data-testid=chart-${id}]`);
            return chart && (chart.querySelector(".recharts-surface path, .recharts-surface rect, .recharts-scatter-symbol") || chart.querySelector(".empty-chart"));
          }) && document.querySelector("[data-testid=chart-cycle-time] .recharts-scatter-symbol"),
        CHARTS,
        { timeout: 30_000, polling: "raf" },
      );
      const drawn = await page.evaluate(() => performance.now());
      // Run 0 warms the server (first render of each route); runs 1… are measured.
      if (run > 0) drawnMs.push(drawn);
      if (run === 1) {
        for (const body of await Promise.all(scripts)) {
          jsBytes += gzipSync(body).length;
          jsFiles++;
        }
      }
      await context.close();
    }
    const context = await browser.newContext();
    await signInAsDemo(context);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await browser.close();
    const sharePath = fs.readFileSync(shareFile, "utf8").trim();
    fs.rmSync(shareFile, { force: true });
    const share = await loadTest(`http://localhost:${PORT}${sharePath}`);
    const dashboard = await loadTest(`http://localhost:${PORT}/teams/payments`, { cookie });
    return { jsGzipKb: jsBytes / 1024, jsFiles, drawnMs, serverPeakRssMb: peakRssMb(server.pid!), load: { share, dashboard } };
  } finally {
    server.kill("SIGTERM");
  }
}
