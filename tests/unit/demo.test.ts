import { describe, expect, it } from "vitest";
import { generateDemo } from "../../lib/demo/generate";
import { HistoryHeaderInput, WorkItemInput } from "../../lib/ingest/history-schema";

const now = new Date("2026-12-01T12:00:00Z");

describe("demo data", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generateDemo({ seed: 7, now, itemsPerTeam: 200 });
    const b = generateDemo({ seed: 7, now, itemsPerTeam: 200 });
    const c = generateDemo({ seed: 8, now, itemsPerTeam: 200 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("is valid import data: three teams in different zones, six milestones, four KPIs", () => {
    const demo = generateDemo({ seed: 42, now });
    expect(demo.histories).toHaveLength(3);
    const zones = new Set<string>();
    let milestones = 0;
    let items = 0;
    for (const doc of demo.histories) {
      const { items: list, ...header } = doc;
      const parsed = HistoryHeaderInput.parse(header);
      zones.add(parsed.team.timezone);
      milestones += parsed.milestones.length;
      for (const item of list) {
        WorkItemInput.parse(item);
        for (const t of item.transitions) expect(Date.parse(t.at)).toBeLessThanOrEqual(now.getTime());
      }
      items += list.length;
    }
    expect(zones.size).toBe(3);
    expect(milestones).toBe(6);
    expect(items).toBe(3000);
    expect(demo.kpis.map((k) => k.definitions[0]!.key)).toEqual(["mrr", "signups", "wau", "churn"]);
  });

  it("has reopenings, backward moves, blocked time and items still in flight", () => {
    const items = generateDemo({ seed: 42, now }).histories.flatMap((d) => d.items);
    const statuses = (i: (typeof items)[number]) => i.transitions.map((t) => t.to);
    const reopened = items.filter((i) => statuses(i).filter((s) => s === "Done").length > 1);
    const backward = items.filter((i) => statuses(i).join(">").includes("In Progress>Ready"));
    const blocked = items.filter((i) => i.blocks.length > 0 || statuses(i).includes("Blocked"));
    const inFlight = items.filter((i) => ["In Progress", "Review", "Blocked"].includes(statuses(i).at(-1)!));
    expect(reopened.length).toBeGreaterThan(20);
    expect(backward.length).toBeGreaterThan(50);
    expect(blocked.length).toBeGreaterThan(200);
    expect(inFlight.length).toBeGreaterThan(10);
  });

  it("moves signups after the onboarding milestone ships", () => {
    const signups = generateDemo({ seed: 42, now }).kpis.find((k) => k.definitions[0]!.key === "signups")!;
    const shippedOn = "2026-08-03"; // 120 days before now
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const before = signups.points.filter((p) => p.date < shippedOn).slice(-28).map((p) => p.value);
    const after = signups.points.filter((p) => p.date >= shippedOn).slice(0, 28).map((p) => p.value);
    expect(mean(after) / mean(before)).toBeGreaterThan(1.15);
  });
});
