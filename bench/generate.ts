// Bench data: NDJSON work histories, one file per team, 10 transitions per item, over 12 months.
import fs from "node:fs";
import { once } from "node:events";
import { seededRandom } from "../lib/metrics/compute/random";

export const BENCH_WORKFLOW = [
  { status: "Backlog", category: "todo" },
  { status: "Ready", category: "todo" },
  { status: "In Progress", category: "in_progress" },
  { status: "Blocked", category: "in_progress", blocked: true },
  { status: "Review", category: "in_progress" },
  { status: "Done", category: "done" },
  { status: "Released", category: "done" },
  { status: "Won't Do", category: "done", discarded: true },
];

const PATH = ["Backlog", "Ready", "In Progress", "Blocked", "In Progress", "Review", "In Progress", "Review", "Done", "Released"];
const HOUR = 3_600_000;

export async function writeBenchHistory(file: string, o: { team: string; items: number; now: Date; seed: number }): Promise<number> {
  const random = seededRandom(o.seed);
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  };
  await write(JSON.stringify({ version: 1, team: { key: o.team, name: o.team, timezone: "Europe/Berlin" }, workflow: BENCH_WORKFLOW }));
  const end = o.now.getTime() - 40 * 24 * HOUR;
  const start = end - 330 * 24 * HOUR;
  let transitions = 0;
  for (let i = 0; i < o.items; i++) {
    let t = start + random() * (end - start);
    const created = t;
    const steps = PATH.map((to) => {
      t += (1 + random() * (to === "Blocked" ? 30 : 20)) * HOUR;
      return { at: new Date(Math.round(t / 60_000) * 60_000).toISOString(), to };
    });
    transitions += steps.length;
    const blocks = random() < 0.1 ? [{ start: steps[3]!.at, end: steps[4]!.at, reason: "waiting" }] : [];
    await write(JSON.stringify({ key: `${o.team}-${i + 1}`, title: `Item ${i + 1}`, type: random() < 0.7 ? "story" : "bug", created_at: new Date(created).toISOString(), transitions: steps, blocks }));
  }
  out.end();
  await once(out, "finish");
  return transitions;
}
