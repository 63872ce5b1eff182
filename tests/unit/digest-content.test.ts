// The digest's words and links for a fixture team and week, line by line: every number is in the
// facts below, so each expected line can be checked by hand.
import { describe, expect, it } from "vitest";
import { buildDigest, type DigestFacts, type TeamWeekFacts } from "../../lib/digest/content";
import { resolveLinks, withAppLinks } from "../../lib/digest/links";
import { escapeMrkdwn, renderAtom, renderHtml, renderSlack, renderText } from "../../lib/digest/render";
import { digestWeek, dueWeek, lastCompleteWeek } from "../../lib/digest/week";

const AS_OF = "2026-05-17T21:59:59Z";

function payments(over: Partial<TeamWeekFacts> = {}): TeamWeekFacts {
  return {
    team: { key: "payments", name: "Payments" },
    week: { from: "2026-05-11", to: "2026-05-17", label: "2026-W20", previousFrom: "2026-04-13", asOf: AS_OF, partial: false },
    throughput: { week: 12, previous: [8, 10, 11, 9] },
    cycleTime: { p85: 8, previousP85: 6, count: 12 },
    wip: { limit: 8, statusLimits: false, overDays: 3, days: 7, highest: 11, lowest: 6 },
    aging: { p85: 12, inProgress: 9, over: [{ key: "PAY-12", ageDays: 20 }, { key: "PAY-40", ageDays: 15 }] },
    stalled: { from: "2026-02-17", to: "2026-05-17", items: ["PAY-3"] },
    roadblocks: [{ itemKey: "PAY-12", problem: "Bank sandbox down", proposal: "Mock the bank API", supportNeeded: "Platform team", reportedOn: "2026-05-13", waitingDays: 5 }],
    shipped: [{ key: "refunds", name: "Instant refunds", shippedOn: "2026-05-14", items: 23, effortDays: 120 }],
    open: [
      { key: "disputes", name: "Dispute flow", dueOn: "2026-06-15", openItems: 12, forecast: { p50: "2026-06-20", p85: "2026-06-30" }, historyDays: 30 },
      { key: "ledger", name: "Ledger", dueOn: null, openItems: 4, forecast: null, historyDays: 30 },
    ],
    impacts: [
      { milestone: "Instant refunds", kpi: { key: "mrr", name: "MRR", unit: "USD" }, shippedOn: "2026-05-14", change_vs_trend: 410, relative_change_vs_trend: 0.041, residual_sd: 100, days_before: 28, days_after: 4 },
      { milestone: "Instant refunds", kpi: { key: "signups", name: "Signups", unit: null }, shippedOn: "2026-05-14", change_vs_trend: -3, relative_change_vs_trend: -0.02, residual_sd: 5, days_before: 28, days_after: 4 },
    ],
    outcomesKpi: "mrr",
    ...over,
  };
}

function facts(team: TeamWeekFacts = payments()): DigestFacts {
  return {
    teamName: "Payments",
    week: "2026-05-11",
    label: "2026-W20",
    partial: false,
    teams: [team],
    kpis: [
      { key: "mrr", name: "MRR", unit: "USD", label: "2026-W20", previousLabel: "2026-W19", value: 41250, previous: 40000 },
      { key: "signups", name: "Signups", unit: null, label: "2026-W20", previousLabel: "2026-W19", value: null, previous: 12 },
    ],
    kpiTeam: "payments",
    kpiAsOf: AS_OF,
  };
}

const q = `as_of=${encodeURIComponent(AS_OF)}`;
const week = `/teams/payments?from=2026-05-11&to=2026-05-17&${q}`;
const fiveWeeks = `/teams/payments?from=2026-04-13&to=2026-05-17&${q}`;
const outcomes = (kpi: string) => `/outcomes?team=payments&kpi=${kpi}&${q}`;

describe("digest content", () => {
  it("says, line by line, what the week's numbers are, each linked to the view it comes from", () => {
    const d = withAppLinks(buildDigest(facts()));
    expect(d.title).toBe("Payments: week 2026-W20");
    expect(d.period).toBe("11 May 2026 to 17 May 2026");
    expect(d.sections.map((s) => [s.title, s.href])).toEqual([
      ["Payments", week],
      ["KPIs, week 2026-W20", outcomes("mrr")],
    ]);
    expect(d.sections[0]!.lines).toEqual([
      // (8 + 10 + 11 + 9) / 4 = 9.5
      { text: "Throughput: 12 items finished, up from 9.5 a week on average in the previous four weeks (8, 10, 11, 9)", href: fiveWeeks },
      { text: "Cycle time: 85% in 8 days or less, up from 6 in the previous four weeks (12 items this week)", href: fiveWeeks },
      { text: "WIP: over its limit of 8 on 3 of 7 days (6 to 11 items in progress)", href: week },
      { text: "Aging: 2 items in progress are older than 85% of recent work (12 days): PAY-12 (20 days), PAY-40 (15 days)", href: week },
      { text: "Stalled: 1 item in progress has not moved for 5 days: PAY-3", href: `/teams/payments?from=2026-02-17&to=2026-05-17&${q}` },
      { text: "Roadblock on PAY-12: Bank sandbox down. Proposal: Mock the bank API. Needs: Platform team. Waiting for a decision for 5 days (since 13 May 2026)", href: "/teams/payments/items/PAY-12" },
      { text: "Shipped: Instant refunds on 14 May 2026 (23 items, 120 cycle-time days)", href: outcomes("mrr") },
      { text: "Forecast: Dispute flow, 12 items open: 85% likely done by 30 Jun 2026 (50% by 20 Jun 2026); due 15 Jun 2026", href: outcomes("mrr") },
      { text: "Forecast: Ledger, 4 items open: no forecast, nothing finished in the last 30 days", href: outcomes("mrr") },
      // |410| ≥ 2 × 100: beyond; |−3| < 2 × 5: within.
      { text: "Impact: Instant refunds (shipped 14 May 2026) on MRR: +4.1% against its trend, beyond its usual variation", href: outcomes("mrr") },
      { text: "Impact: Instant refunds (shipped 14 May 2026) on Signups: −2.0% against its trend, within its usual variation", href: outcomes("signups") },
    ]);
    expect(d.sections[1]!.lines).toEqual([
      // (41250 − 40000) / 40000 = 3.125%
      { text: "MRR: 41,250 USD in 2026-W20, up from 40,000 in 2026-W19 (+3.1%)", href: outcomes("mrr") },
      { text: "Signups: no data in 2026-W20", href: outcomes("signups") },
    ]);
  });

  it("words a quiet week: nothing finished, no limit, nothing aging, stalled, blocked or shipped", () => {
    const quiet = payments({
      throughput: { week: 0, previous: [0, 0, 0, 0] },
      cycleTime: { p85: null, previousP85: null, count: 0 },
      wip: { limit: null, statusLimits: false, overDays: 0, days: 7, highest: 3, lowest: 3 },
      aging: { p85: null, inProgress: 3, over: [] },
      stalled: { from: "2026-02-17", to: "2026-05-17", items: [] },
      roadblocks: [],
      shipped: [],
      open: [],
      impacts: [],
      outcomesKpi: null,
    });
    const lines = withAppLinks(buildDigest({ ...facts(quiet), kpis: [] })).sections[0]!.lines;
    expect(lines.map((l) => l.text)).toEqual([
      "Throughput: 0 items finished, level with 0 a week on average in the previous four weeks (0, 0, 0, 0)",
      "Cycle time: no items finished this week nor in the previous four weeks",
      "WIP: 3 items in progress; no WIP limit set",
      "Aging: nothing finished in the last 90 days to compare the 3 items in progress with",
      "Stalled: none; every item in progress moved in the last 5 days",
      "Roadblocks: none open",
      "Shipped: no milestone this week",
    ]);
    // Without a KPI, the milestone line opens the week's dashboard.
    expect(lines.at(-1)!.href).toBe(week);
  });

  it("gives a reader without an account one share link per view, and never an item page", async () => {
    const made: string[] = [];
    const d = await resolveLinks(buildDigest(facts()), async (view) => {
      made.push(JSON.stringify(view));
      return `https://flow.example.com/s/${made.length}`;
    });
    const hrefs = d.sections.flatMap((s) => [s.href, ...s.lines.map((l) => l.href)]);
    expect(new Set(hrefs).size).toBe(made.length);
    expect(new Set(made).size).toBe(made.length);
    // The roadblock's item page stands in as the week's blockers chart.
    expect(made).toContainEqual(JSON.stringify({ kind: "item", team: "payments", key: "PAY-12", shared: { kind: "chart", team: "payments", chart: "blockers", from: "2026-05-11", to: "2026-05-17", asOf: AS_OF } }));
  });
});

describe("digest rendering", () => {
  const evil = withAppLinks(buildDigest(facts(payments({ roadblocks: [{ itemKey: "PAY-1", problem: "<script>&", proposal: "a > b", supportNeeded: null, reportedOn: "2026-05-17", waitingDays: 1 }] }))), "https://flow.example.com");

  it("escapes everything in HTML mail and keeps the text mail readable", () => {
    const html = renderHtml(evil);
    expect(html).toContain("Roadblock on PAY-1: &lt;script&gt;&amp;. Proposal: a &gt; b. Waiting for a decision for 1 day (since 17 May 2026)");
    expect(html).not.toContain("<script>");
    expect(html).toContain(`<a href="https://flow.example.com/teams/payments?from=2026-05-11&amp;to=2026-05-17&amp;${q}">`);
    const text = renderText(evil);
    expect(text.split("\n").slice(0, 3)).toEqual(["Payments: week 2026-W20", "11 May 2026 to 17 May 2026", ""]);
    expect(text).toContain(`- Throughput: 12 items finished, up from 9.5 a week on average in the previous four weeks (8, 10, 11, 9)\n  https://flow.example.com${fiveWeeks}`);
  });

  it("posts Slack-compatible JSON: a text fallback and mrkdwn links with &, < and > escaped", () => {
    const slack = renderSlack(evil);
    expect(slack.text).toBe("Payments: week 2026-W20 (11 May 2026 to 17 May 2026)");
    expect(slack.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Payments: week 2026-W20" } });
    const section = slack.blocks[1]!.text.text;
    expect(section.startsWith(`*<https://flow.example.com/teams/payments?from=2026-05-11&amp;to=2026-05-17&amp;${q}|Payments>*`)).toBe(true);
    expect(section).toContain("|Roadblock on PAY-1: &lt;script&gt;&amp;. Proposal: a &gt; b. Waiting");
    expect(escapeMrkdwn("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });

  it("writes an Atom feed whose entries link to the digest pages", () => {
    const xml = renderAtom({ title: "Payments: weekly digest", id: "https://flow.example.com/digest/feed?team=payments", link: "https://flow.example.com/digest?team=payments&week=2026-05-11", updated: new Date("2026-05-18T00:00:00Z"), entries: [{ digest: evil, link: "https://flow.example.com/digest?team=payments&week=2026-05-11", updated: new Date("2026-05-18T00:00:00Z") }] });
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(xml).toContain("<id>https://flow.example.com/digest?team=payments&amp;week=2026-05-11</id>");
    expect(xml).not.toContain("<script>");
  });
});

describe("digest weeks", () => {
  it("reads a week Monday to Sunday in the team's timezone, as of the last second of its Sunday", () => {
    const w = digestWeek("2026-05-11", "Europe/Berlin", new Date("2026-06-01T00:00:00Z"))!;
    // Monday 18 May 00:00 in Berlin (UTC+2) is 17 May 22:00 UTC.
    expect(w).toMatchObject({ from: "2026-05-11", to: "2026-05-17", label: "2026-W20", previousFrom: "2026-04-13", partial: false });
    expect(w.asOf.toISOString()).toBe("2026-05-17T21:59:59.000Z");
    expect(digestWeek("2026-05-11", "Europe/Berlin", new Date("2026-05-10T21:59:00Z"))).toBeNull();
    expect(digestWeek("2026-05-11", "UTC", new Date("2026-05-13T12:00:00Z"))!.partial).toBe(true);
    expect(lastCompleteWeek(new Date("2026-05-17T22:30:00Z"), "Europe/Berlin")).toBe("2026-05-11");
    expect(lastCompleteWeek(new Date("2026-05-17T22:30:00Z"), "UTC")).toBe("2026-05-04");
  });

  it("is due at the subscription's weekday and hour in its timezone, for the week before", () => {
    const sub = { weekday: 1, hour: 9, timezone: "America/New_York", createdAt: new Date("2026-01-01T00:00:00Z") };
    // Monday 18 May 09:00 in New York (UTC−4) is 13:00 UTC.
    expect(dueWeek(sub, new Date("2026-05-18T12:59:00Z"))).toBeNull();
    expect(dueWeek(sub, new Date("2026-05-18T13:00:00Z"))).toBe("2026-05-11");
    expect(dueWeek(sub, new Date("2026-05-22T13:00:00Z"))).toBe("2026-05-11");
    // A subscription made after this week's moment waits for next week's.
    expect(dueWeek({ ...sub, createdAt: new Date("2026-05-19T00:00:00Z") }, new Date("2026-05-20T00:00:00Z"))).toBeNull();
  });
});

describe("digest KPI lines", () => {
  it("writes small values with two decimals and a percent unit without a space", () => {
    const d = withAppLinks(buildDigest({ ...facts(), kpis: [{ key: "churn", name: "Churn rate", unit: "%", label: "2026-W20", previousLabel: "2026-W19", value: 2.104, previous: 2.143 }] }));
    // (2.104 − 2.143) / 2.143 = −1.82%
    expect(d.sections[1]!.lines[0]!.text).toBe("Churn rate: 2.1% in 2026-W20, down from 2.14 in 2026-W19 (−1.8%)");
  });
});
