// A deterministic demo data set: three teams over the last 12 months and four KPIs, some of which
// move when a milestone ships. Pure: the seed and `now` decide everything.
import { addDays, localDate, type LocalDate } from "../time/calendar";
import type { KpiBatch } from "../ingest/kpi";
import { seededRandom } from "../metrics/compute/random";

export interface DemoOptions {
  seed: number;
  now: Date;
  /** Items per team (default 1,000). */
  itemsPerTeam?: number;
  /** Days of history (default 365). */
  days?: number;
}

type Doc = Record<string, unknown> & { items: DemoItem[] };
interface DemoItem {
  key: string;
  title: string;
  type: string;
  created_at: string;
  milestone?: string;
  transitions: { at: string; to: string; from?: string }[];
  blocks: { start: string; end: string | null; reason: string }[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const WORKFLOW = [
  { status: "Backlog", category: "todo" },
  { status: "Ready", category: "todo" },
  { status: "In Progress", category: "in_progress", wip_limit: 8 },
  { status: "Blocked", category: "in_progress", blocked: true },
  { status: "Review", category: "in_progress", wip_limit: 4 },
  { status: "Done", category: "done" },
  { status: "Won't Do", category: "done", discarded: true },
];

const TEAMS = [
  { key: "payments", name: "Payments", timezone: "Europe/Berlin", prefix: "PAY", wip_limit: 16, speed: 1.0 },
  { key: "growth", name: "Growth", timezone: "America/New_York", prefix: "GRO", wip_limit: 13, speed: 0.8 },
  { key: "platform", name: "Platform", timezone: "Asia/Tokyo", prefix: "PLT", wip_limit: 18, speed: 1.4 },
];

/** Milestones: days before `now` they shipped (null = open) and the KPI they are meant to move. */
const MILESTONES: Record<string, { key: string; name: string; shippedDaysAgo: number | null; dueDaysAgo: number }[]> = {
  payments: [
    { key: "checkout-v2", name: "Checkout v2", shippedDaysAgo: 150, dueDaysAgo: 160 },
    { key: "instant-refunds", name: "Instant refunds", shippedDaysAgo: null, dueDaysAgo: -30 },
  ],
  growth: [
    { key: "onboarding-revamp", name: "Onboarding revamp", shippedDaysAgo: 120, dueDaysAgo: 125 },
    { key: "referrals", name: "Referral program", shippedDaysAgo: 60, dueDaysAgo: 70 },
  ],
  platform: [
    { key: "sso", name: "Single sign-on", shippedDaysAgo: 210, dueDaysAgo: 200 },
    { key: "api-v3", name: "Public API v3", shippedDaysAgo: null, dueDaysAgo: -45 },
  ],
};

const TITLES = ["Add", "Fix", "Refactor", "Speed up", "Document", "Migrate", "Polish", "Remove"];
const SUBJECTS = ["invoice export", "login flow", "webhook retries", "pricing page", "search index", "audit log", "email digest", "billing portal", "rate limiter", "mobile layout", "CSV import", "usage dashboard"];
const REASONS = ["waiting on design review", "waiting on vendor API access", "flaky staging environment", "needs security sign-off", "dependency on Platform team", "unclear requirements"];

export function generateDemo(options: DemoOptions): { histories: Doc[]; kpis: KpiBatch[] } {
  const random = seededRandom(options.seed);
  const days = options.days ?? 365;
  const perTeam = options.itemsPerTeam ?? 1000;
  const now = Math.floor(options.now.getTime() / 60_000) * 60_000;
  const start = now - days * DAY;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const iso = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();

  const histories = TEAMS.map((team) => {
    const milestones = MILESTONES[team.key]!.map((m) => ({
      key: m.key,
      name: m.name,
      due_on: localDate(new Date(now - m.dueDaysAgo * DAY), team.timezone),
      shipped_at: m.shippedDaysAgo === null ? null : iso(now - m.shippedDaysAgo * DAY + 14 * HOUR),
    }));
    const items: DemoItem[] = [];
    for (let n = 0; n < perTeam; n++) {
      // Arrivals spread over the year; the last items are still in flight at `now`.
      const created = start + ((n + random()) / perTeam) * days * DAY;
      const type = random() < 0.6 ? "story" : random() < 0.7 ? "bug" : "task";
      const item: DemoItem = {
        key: `${team.prefix}-${n + 1}`,
        title: `${pick(TITLES)} ${pick(SUBJECTS)}`,
        type,
        created_at: iso(created),
        transitions: [],
        blocks: [],
      };
      let t = created;
      let status = "Backlog";
      const move = (to: string, after: number): boolean => {
        t += after;
        if (t > now) return false;
        item.transitions.push({ at: iso(t), from: status, to });
        status = to;
        return true;
      };
      item.transitions.push({ at: iso(t), to: "Backlog" });
      const queue = (0.5 + random() * 6) * DAY;
      // Log-normal work time: most items take days, a long tail takes weeks.
      const work = Math.exp(Math.log(2.5 * team.speed * DAY) + 0.85 * normal());
      (() => {
        if (!move("Ready", queue)) return;
        if (random() < 0.04) return void move("Won't Do", random() * 5 * DAY);
        if (!move("In Progress", random() * 3 * DAY)) return;
        if (random() < 0.07) {
          // Pulled back: a start that does not count; the clock restarts later.
          if (!move("Ready", work * 0.3)) return;
          if (!move("In Progress", (1 + random() * 4) * DAY)) return;
        }
        if (random() < 0.1) {
          const blockedFor = (0.5 + random() * 4) * DAY * (random() < 0.2 ? 3 : 1);
          if (!move("Blocked", work * 0.3)) return;
          if (!move("In Progress", blockedFor)) return;
        }
        if (random() < 0.12) {
          const startBlock = t + work * random() * 0.5;
          const end = startBlock + (0.3 + random() * 5) * DAY;
          if (startBlock < now) item.blocks.push({ start: iso(startBlock), end: end < now - 2 * DAY || random() < 0.6 ? iso(end) : null, reason: pick(REASONS) });
        }
        if (!move("Review", work * 0.7)) return;
        if (!move("Done", (0.1 + random()) * DAY)) return;
        if (random() < 0.05) {
          // Reopened: the start is kept, the finish moves.
          if (!move("In Progress", (1 + random() * 5) * DAY)) return;
          move("Done", (0.5 + random() * 3) * DAY);
        }
      })();
      items.push(item);
    }
    // Milestone items: finished items before each milestone's ship (or due) date.
    for (const [mIndex, m] of milestones.entries()) {
      const cutoff = m.shipped_at ? Date.parse(m.shipped_at) : now + 60 * DAY;
      const candidates = items.filter((i) => !i.milestone && Date.parse(i.created_at) < cutoff - 10 * DAY && Date.parse(i.created_at) > cutoff - 120 * DAY);
      const take = m.shipped_at ? 40 + mIndex * 10 : 35;
      for (let k = 0; k < take && candidates.length > 0; k++) {
        const idx = Math.floor(random() * candidates.length);
        const [chosen] = candidates.splice(idx, 1);
        if (chosen && (!m.shipped_at || chosen.transitions.some((tr) => tr.to === "Done" && Date.parse(tr.at) <= cutoff))) chosen.milestone = m.key;
      }
    }
    return {
      version: 1,
      team: { key: team.key, name: team.name, timezone: team.timezone, wip_limit: team.wip_limit },
      workflow: WORKFLOW,
      milestones,
      items,
    } as Doc;
  });

  return { histories, kpis: generateKpis(random, now, days) };
}

function generateKpis(random: () => number, now: number, days: number): KpiBatch[] {
  const dates: LocalDate[] = [];
  const first = addDays(new Date(now).toISOString().slice(0, 10), -days);
  for (let i = 1; i <= days; i++) dates.push(addDays(first, i));
  const shippedOn = (daysAgo: number) => addDays(new Date(now).toISOString().slice(0, 10), -daysAgo);
  const sso = shippedOn(210);
  const onboarding = shippedOn(120);
  const referrals = shippedOn(60);
  const checkout = shippedOn(150);
  const weekday = (d: LocalDate) => new Date(`${d}T00:00:00Z`).getUTCDay();

  let mrr = 182_000;
  const points = { mrr: [] as number[], signups: [] as number[], wau: [] as number[], churn: [] as number[] };
  for (const d of dates) {
    const weekend = weekday(d) === 0 || weekday(d) === 6;
    const signupLift = (d >= onboarding ? 1.28 : 1) * (d >= referrals ? 1.15 : 1);
    const signups = Math.round((weekend ? 55 : 95) * signupLift * (0.85 + random() * 0.3));
    mrr += signups * 0.9 * (d >= sso ? 2.4 : 1) + (random() - 0.45) * 150;
    const wau = Math.round(8_200 + dates.indexOf(d) * 9 * (d >= onboarding ? 1.4 : 1) + (random() - 0.5) * 300);
    const churn = Math.round(((d >= checkout ? 2.1 : 2.9) + (random() - 0.5) * 0.4) * 100) / 100;
    points.mrr.push(Math.round(mrr * 100) / 100);
    points.signups.push(signups);
    points.wau.push(wau);
    points.churn.push(churn);
  }
  const batch = (key: keyof typeof points, name: string, unit: string, aggregation: "sum" | "last" | "avg"): KpiBatch => ({
    name: `demo:${key}`,
    definitions: [{ key, name, unit, aggregation }],
    redefine: true,
    points: dates.map((date, i) => ({ kpi: key, date, value: points[key][i]!, segment: "", where: `demo:${key}[${i}]` })),
  });
  return [
    batch("mrr", "Monthly recurring revenue", "USD", "last"),
    batch("signups", "Signups", "accounts", "sum"),
    batch("wau", "Weekly active users", "users", "avg"),
    batch("churn", "Churn rate", "%", "avg"),
  ];
}

