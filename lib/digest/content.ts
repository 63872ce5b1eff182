// The weekly digest's words and links, built from numbers the metric engine gathered (gather.ts).
// Pure: every number arrives in the facts; a line names the view it comes from, and links.ts turns
// that view into an address (the app's for an account, a share link for anyone else).
import type { ShareChart } from "../services/share-links";
import { parseLocalDateParts, type LocalDate } from "../time/calendar";
import { trendVerdict } from "../views/trend-line";
import type { ImpactWindow } from "../metrics/compute/kpi";

/** A view a line links to, with its window frozen: the same numbers whenever it is opened. */
export type DigestView =
  | { kind: "chart"; team: string; chart: ShareChart; from: LocalDate; to: LocalDate; asOf: string }
  | { kind: "dashboard"; team: string; from: LocalDate; to: LocalDate; asOf: string }
  /** An item page: only for readers with an account; a share link cannot reach item pages, so `shared` stands in. */
  | { kind: "item"; team: string; key: string; shared: DigestView }
  | { kind: "outcomes"; team: string; kpi: string; asOf: string };

export interface DigestLine<H = DigestView> {
  /** What the line says, plain text (renderers escape it). */
  text: string;
  href: H;
}

export interface DigestSection<H = DigestView> {
  title: string;
  href: H;
  lines: DigestLine<H>[];
}

export interface Digest<H = DigestView> {
  title: string;
  /** The week's Monday (the name used in addresses) and its ISO label. */
  week: LocalDate;
  label: string;
  /** "11 May to 17 May 2026", and "so far" while the week runs. */
  period: string;
  sections: DigestSection<H>[];
}

export interface TeamWeekFacts {
  team: { key: string; name: string };
  week: { from: LocalDate; to: LocalDate; label: string; previousFrom: LocalDate; asOf: string; partial: boolean };
  throughput: { week: number; previous: number[] };
  cycleTime: { p85: number | null; previousP85: number | null; count: number };
  wip: { limit: number | null; statusLimits: boolean; overDays: number; days: number; highest: number; lowest: number };
  aging: { p85: number | null; inProgress: number; over: { key: string; ageDays: number }[] };
  stalled: { from: LocalDate; to: LocalDate; items: string[] };
  roadblocks: { itemKey: string; problem: string; proposal: string; supportNeeded: string | null; reportedOn: LocalDate; waitingDays: number }[];
  shipped: { key: string; name: string; shippedOn: LocalDate; items: number; effortDays: number }[];
  open: { key: string; name: string; dueOn: LocalDate | null; openItems: number; forecast: { p50: LocalDate; p85: LocalDate } | null; historyDays: number }[];
  impacts: ({ milestone: string; kpi: { key: string; name: string; unit: string | null }; shippedOn: LocalDate } & Pick<ImpactWindow, "change_vs_trend" | "relative_change_vs_trend" | "residual_sd" | "days_before" | "days_after">)[];
  /** The KPI the team's outcomes links open (null: no KPIs, the dashboard instead). */
  outcomesKpi: string | null;
}

export interface KpiWeekFacts {
  key: string;
  name: string;
  unit: string | null;
  label: string;
  previousLabel: string;
  value: number | null;
  previous: number | null;
}

export interface DigestFacts {
  /** The team's name, or null for a leader's digest of several teams. */
  teamName: string | null;
  week: LocalDate;
  label: string;
  partial: boolean;
  teams: TeamWeekFacts[];
  kpis: KpiWeekFacts[];
  /** The team whose outcomes a KPI line opens (the first of the digest). */
  kpiTeam: string | null;
  kpiAsOf: string;
}

/** How many aging or stalled keys a line names before "and N more". */
export const LISTED_KEYS = 5;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "11 May 2026": the same on every Node (no ICU month names). */
export function formatDate(date: LocalDate): string {
  const [y, m, d] = parseLocalDateParts(date);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const days = (n: number) => plural(n, "day");
const number = (v: number) => Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(v);
/** KPI values: two decimals below 10, so 2.14% and 2.1% do not both read "2.1". */
const kpiNumber = (v: number) => Intl.NumberFormat("en", { maximumFractionDigits: Math.abs(v) < 10 ? 2 : 1 }).format(v);
const percent = (r: number) => `${r >= 0 ? "+" : "−"}${Math.abs(r * 100).toFixed(1)}%`;

function keysList(keys: readonly string[]): string {
  const shown = keys.slice(0, LISTED_KEYS).join(", ");
  return keys.length > LISTED_KEYS ? `${shown} and ${keys.length - LISTED_KEYS} more` : shown;
}

/** "up from 6", "down from 9.5", "level with 4". */
function against(value: number, before: number): string {
  return value > before ? `up from ${number(before)}` : value < before ? `down from ${number(before)}` : `level with ${number(before)}`;
}

export function buildDigest(facts: DigestFacts): Digest {
  const first = facts.teams[0];
  const period = first ? `${formatDate(first.week.from)} to ${formatDate(first.week.to)}${facts.partial ? ", so far" : ""}` : "";
  const sections = facts.teams.map(teamSection);
  if (facts.kpis.length > 0 && facts.kpiTeam !== null) sections.push(kpiSection(facts.kpis, facts.kpiTeam, facts.kpiAsOf, facts.label));
  return {
    title: `${facts.teamName ?? "Your teams"}: week ${facts.label}`,
    week: facts.week,
    label: facts.label,
    period,
    sections,
  };
}

function teamSection(f: TeamWeekFacts): DigestSection {
  const team = f.team.key;
  const asOf = f.week.asOf;
  const chart = (c: ShareChart, from = f.week.from, to = f.week.to): DigestView => ({ kind: "chart", team, chart: c, from, to, asOf });
  const dashboard: DigestView = { kind: "dashboard", team, from: f.week.from, to: f.week.to, asOf };
  const outcomes = (kpi: string | null): DigestView => (kpi ? { kind: "outcomes", team, kpi, asOf } : dashboard);
  const lines: DigestLine[] = [];

  // Throughput and cycle time: this week against the four before it, in one five-week view.
  const prev = f.throughput.previous;
  const average = prev.reduce((s, n) => s + n, 0) / prev.length;
  lines.push({
    text: `Throughput: ${plural(f.throughput.week, "item")} finished, ${against(f.throughput.week, average)} a week on average in the previous four weeks (${prev.join(", ")})`,
    href: chart("throughput", f.week.previousFrom),
  });
  const ct = f.cycleTime;
  const ctText =
    ct.p85 === null
      ? `Cycle time: no items finished this week${ct.previousP85 === null ? " nor in the previous four weeks" : ` (85% in ${days(ct.previousP85)} or less in the previous four weeks)`}`
      : `Cycle time: 85% in ${days(ct.p85)} or less, ${ct.previousP85 === null ? "with nothing finished in the previous four weeks to compare" : `${against(ct.p85, ct.previousP85)} in the previous four weeks`} (${plural(ct.count, "item")} this week)`;
  lines.push({ text: ctText, href: chart("cycle-time", f.week.previousFrom) });

  const w = f.wip;
  const range = w.lowest === w.highest ? `${w.highest}` : `${w.lowest} to ${w.highest}`;
  const limit = w.limit !== null ? `its limit of ${w.limit}` : "a status's WIP limit";
  lines.push({
    text:
      w.limit === null && !w.statusLimits
        ? `WIP: ${range} items in progress; no WIP limit set`
        : w.overDays === 0
          ? `WIP: within ${limit} on all ${days(w.days)} (${range} items in progress)`
          : `WIP: over ${limit} on ${w.overDays} of ${days(w.days)} (${range} items in progress)`,
    href: chart("wip"),
  });

  const a = f.aging;
  lines.push({
    text:
      a.p85 === null
        ? `Aging: nothing finished in the last 90 days to compare the ${plural(a.inProgress, "item")} in progress with`
        : a.over.length === 0
          ? `Aging: no item in progress is older than 85% of recent work (${days(a.p85)})`
          : `Aging: ${plural(a.over.length, "item")} in progress ${a.over.length === 1 ? "is" : "are"} older than 85% of recent work (${days(a.p85)}): ${keysList(a.over.map((i) => `${i.key} (${days(i.ageDays)})`))}`,
    href: chart("aging"),
  });

  const s = f.stalled.items;
  lines.push({
    text: s.length === 0 ? "Stalled: none; every item in progress moved in the last 5 days" : `Stalled: ${plural(s.length, "item")} in progress ${s.length === 1 ? "has" : "have"} not moved for 5 days: ${keysList(s)}`,
    href: chart("quality", f.stalled.from, f.stalled.to),
  });

  if (f.roadblocks.length === 0) lines.push({ text: "Roadblocks: none open", href: chart("blockers") });
  for (const r of f.roadblocks) {
    lines.push({
      text: `Roadblock on ${r.itemKey}: ${r.problem}. Proposal: ${r.proposal}.${r.supportNeeded ? ` Needs: ${r.supportNeeded}.` : ""} Waiting for a decision for ${days(r.waitingDays)} (since ${formatDate(r.reportedOn)})`,
      href: { kind: "item", team, key: r.itemKey, shared: chart("blockers") },
    });
  }

  if (f.shipped.length === 0) lines.push({ text: "Shipped: no milestone this week", href: outcomes(f.outcomesKpi) });
  for (const m of f.shipped) {
    lines.push({ text: `Shipped: ${m.name} on ${formatDate(m.shippedOn)} (${plural(m.items, "item")}, ${plural(m.effortDays, "cycle-time day")})`, href: outcomes(f.outcomesKpi) });
  }
  for (const m of f.open) {
    const due = m.dueOn ? `; due ${formatDate(m.dueOn)}` : "";
    const text =
      m.openItems === 0
        ? `Forecast: ${m.name}: every item done, not shipped yet${due}`
        : m.forecast === null
          ? `Forecast: ${m.name}, ${plural(m.openItems, "item")} open: no forecast, nothing finished in the last ${m.historyDays} days${due}`
          : `Forecast: ${m.name}, ${plural(m.openItems, "item")} open: 85% likely done by ${formatDate(m.forecast.p85)} (50% by ${formatDate(m.forecast.p50)})${due}`;
    lines.push({ text, href: outcomes(f.outcomesKpi) });
  }

  for (const i of f.impacts) {
    lines.push({ text: `Impact: ${i.milestone} (shipped ${formatDate(i.shippedOn)}) on ${i.kpi.name}: ${impactWords(i)}`, href: outcomes(i.kpi.key) });
  }
  return { title: f.team.name, href: dashboard, lines };
}

/** The outcomes page's verdict (lib/views/trend-line.ts), in a sentence. */
function impactWords(i: TeamWeekFacts["impacts"][number]): string {
  const v = trendVerdict({ ...i, shipped_on: i.shippedOn });
  const change =
    i.change_vs_trend === null
      ? ""
      : i.relative_change_vs_trend !== null
        ? `${percent(i.relative_change_vs_trend)} against its trend`
        : `${i.change_vs_trend >= 0 ? "+" : "−"}${number(Math.abs(i.change_vs_trend))}${i.kpi.unit ? ` ${i.kpi.unit}` : ""} a day against its trend`;
  switch (v.kind) {
    case "open":
    case "no-after":
      return "no data after the ship date yet";
    case "too-few-before":
      return `no trend to compare with (${plural(v.days, "day")} with data before the ship date, 2 needed)`;
    case "no-spread":
      return `${change}; its usual variation is unknown (2 days before the ship date)`;
    case "on-trend":
      return "right on its trend";
    case "within":
      return `${change}, within its usual variation`;
    case "beyond":
      return `${change}, beyond its usual variation`;
  }
}

function kpiSection(kpis: readonly KpiWeekFacts[], team: string, asOf: string, label: string): DigestSection {
  const lines = kpis.map((k): DigestLine => {
    const unit = !k.unit ? "" : k.unit === "%" ? "%" : ` ${k.unit}`;
    let text: string;
    if (k.value === null) text = `${k.name}: no data in ${k.label}`;
    else if (k.previous === null) text = `${k.name}: ${kpiNumber(k.value)}${unit} in ${k.label} (no data in ${k.previousLabel})`;
    else {
      const rel = k.previous === 0 ? "" : ` (${percent((k.value - k.previous) / Math.abs(k.previous))})`;
      const moved = k.value > k.previous ? "up from" : k.value < k.previous ? "down from" : "level with";
      text = `${k.name}: ${kpiNumber(k.value)}${unit} in ${k.label}, ${moved} ${kpiNumber(k.previous)} in ${k.previousLabel}${rel}`;
    }
    return { text, href: { kind: "outcomes", team, kpi: k.key, asOf } };
  });
  return { title: `KPIs, week ${label}`, href: lines[0]!.href, lines };
}
