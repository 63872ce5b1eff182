// Share links: one frozen view of one team (a chart, the whole dashboard, or outcomes) that opens
// without an account. The token is random (192 bits), shown once, stored as its SHA-256 hash and
// looked up on every visit, so revoking or expiring a link works at the next request.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { canCreateShareLink, canRevokeShareLink, type Actor } from "../auth/permissions";
import {
  countShareLinkView,
  getShareDataVersion,
  getShareLink,
  getShareLinkByHash,
  insertShareLink,
  listShareLinkRows,
  revokeShareLinkRow,
  type ShareLinkRow,
} from "../db/queries/share-links";
import { getKpiByKey } from "../db/queries/outcomes";
import { getTeamById, listWorkflowStatuses, type Team, type TeamStatus } from "../db/queries/teams";
import type { ShareKind } from "../db/schema";
import { AppError, invalidInput } from "../errors";
import { periodOf, periodsCover } from "../metrics/compute/kpi";
import { computeMetric, type MetricResults } from "../metrics/load";
import { getOutcomesView, type OutcomesView } from "../metrics/outcomes";
import type { FlowMetric } from "../metrics/params";
import { addDays, localDate } from "../time/calendar";
import { agingReferenceRequest, metricRequest, parseView, type DashboardView, type MetricRequest } from "../views/dashboard-view";
import { listAnnotationsForTeam, type Annotation } from "./annotations";
import { allow, type ServiceContext } from "./context";
import { hitRateLimit, type RateLimitRule } from "./rate-limit";
import { requireTeam } from "./teams";

export const SHARE_CHARTS = ["cycle-time", "histogram", "throughput", "wip", "cfd", "aging", "blockers", "quality"] as const;
export type ShareChart = (typeof SHARE_CHARTS)[number];

/** The metrics each shared chart draws (and the dashboard all of them). */
const METRICS_OF: Record<ShareChart, FlowMetric[]> = {
  "cycle-time": ["cycle-time"],
  histogram: ["cycle-time"],
  throughput: ["throughput", "cycle-time"],
  wip: ["wip"],
  cfd: ["cfd"],
  aging: ["aging", "quality"],
  blockers: ["blockers", "cycle-time"],
  quality: ["quality"],
};

const DASHBOARD_KEYS = ["range", "from", "to", "type", "as_of", "interval", "cfd"] as const;
const OUTCOMES_KEYS = ["kpi", "window", "grain", "as_of", "overlay"] as const;

export const ShareLinkInput = z
  .object({
    team: z.string().min(1, { error: "team is required" }),
    kind: z.enum(["chart", "dashboard", "outcomes"], { error: "kind must be chart, dashboard or outcomes" }),
    chart: z.enum(SHARE_CHARTS, { error: `chart must be one of ${SHARE_CHARTS.join(", ")}` }).optional(),
    /** The view's query parameters as its address had them. */
    view: z.record(z.string(), z.string()).default({}),
    /** fixed: the numbers as they are now, for good; rolling: the last N days at each visit. */
    window: z.enum(["fixed", "rolling"], { error: "window must be fixed or rolling" }).default("fixed"),
    rolling_days: z.coerce.number().int().min(1, { error: "rolling_days must be at least 1" }).max(366, { error: "rolling_days may be at most 366" }).optional(),
    /** 0: never expires. */
    expires_in_days: z.coerce.number().int().min(0).max(366, { error: "expires_in_days may be at most 366" }).default(0),
  })
  .refine((s) => s.kind !== "chart" || s.chart !== undefined, { error: "a chart link names its chart", path: ["chart"] })
  .refine((s) => s.kind !== "outcomes" || Boolean(s.view.kpi), { error: "an outcomes link names its KPI", path: ["view", "kpi"] });

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function pick(view: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (typeof view[k] === "string" && view[k] !== "") out[k] = view[k]!;
  return out;
}

/** Freezes a view: a fixed window keeps its dates and as_of; a rolling one only its filters. */
function freeze(kind: ShareKind, team: Team, input: z.output<typeof ShareLinkInput>, now: Date): { view: Record<string, string>; rollingDays: number | null } {
  if (kind === "outcomes") {
    const view = pick(input.view, OUTCOMES_KEYS);
    if (input.window === "rolling") {
      delete view.as_of;
      return { view, rollingDays: input.rolling_days ?? 1 };
    }
    return { view: { ...view, as_of: view.as_of ?? now.toISOString() }, rollingDays: null };
  }
  const raw = pick(input.view, DASHBOARD_KEYS);
  const parsed = parseView(raw);
  const filters: Record<string, string> = {};
  if (parsed.type) filters.type = parsed.type;
  if (parsed.interval !== "week") filters.interval = parsed.interval;
  if (parsed.cfd !== "since") filters.cfd = parsed.cfd;
  if (input.window === "rolling") return { view: filters, rollingDays: input.rolling_days ?? parsed.range ?? 90 };
  const request = metricRequest(parsed, team.timezone, now);
  return { view: { ...filters, from: request.from, to: request.to, as_of: request.as_of ?? now.toISOString() }, rollingDays: null };
}

/** Members share views of their teams; admins any. The token is in the answer, once. */
export async function createShareLink(ctx: ServiceContext, input: unknown) {
  const parsed = ShareLinkInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const p = parsed.data;
  const team = await requireTeam(ctx, p.team);
  allow(canCreateShareLink(ctx.actor, team.id), `No team with key "${p.team}".`);
  // A link that could never open is refused now, not at its first visit.
  if (p.kind === "outcomes" && !(await getKpiByKey(ctx.db, p.view.kpi!))) {
    throw new AppError("NOT_FOUND", `No KPI with key "${p.view.kpi}".`, [{ where: "view.kpi", message: "unknown KPI" }]);
  }
  const { view, rollingDays } = freeze(p.kind, team, p, ctx.now);
  const token = randomBytes(24).toString("base64url");
  const createdBy = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const expiresAt = p.expires_in_days > 0 ? new Date(ctx.now.getTime() + p.expires_in_days * 86_400_000) : null;
  const row = await insertShareLink(ctx.db, { tokenHash: hashToken(token), teamId: team.id, kind: p.kind, chart: p.kind === "chart" ? p.chart! : null, view, rollingDays, createdBy, expiresAt });
  return { id: row.id, path: `/s/${token}`, expiresAt };
}

/** Admins see every link, members the ones they made. */
export async function listShareLinks(ctx: ServiceContext) {
  const a = ctx.actor;
  if (a.kind === "anonymous") allow("UNAUTHORIZED");
  if (a.kind === "system" || (a.kind === "user" && a.role === "admin" && !a.demo)) return describeRows(await listShareLinkRows(ctx.db), ctx);
  if (a.kind !== "user" || a.userId === null || a.role === "viewer" || a.demo) allow("FORBIDDEN");
  return describeRows(await listShareLinkRows(ctx.db, (a as { userId: number }).userId), ctx);
}

function describeRows(rows: Awaited<ReturnType<typeof listShareLinkRows>>, ctx: ServiceContext) {
  return rows.map((r) => ({
    ...r,
    what: describeView(r.kind, r.chart, r.teamName),
    window: r.rollingDays ? `last ${r.rollingDays} days` : r.kind === "outcomes" ? `as of ${r.view.as_of ?? "–"}` : `${r.view.from} to ${r.view.to}`,
    state: r.revokedAt ? ("revoked" as const) : r.expiresAt && r.expiresAt.getTime() <= ctx.now.getTime() ? ("expired" as const) : ("live" as const),
  }));
}

export async function revokeShareLink(ctx: ServiceContext, id: number) {
  const link = await getShareLink(ctx.db, id);
  if (!link) throw new AppError("NOT_FOUND", "No such share link.");
  allow(canRevokeShareLink(ctx.actor, link.teamId, link.createdBy), "No such share link.");
  if (!(await revokeShareLinkRow(ctx.db, id, ctx.now))) throw new AppError("NOT_FOUND", "That link is revoked already.");
}

const CHART_TITLES: Record<ShareChart, string> = {
  "cycle-time": "cycle time",
  histogram: "cycle-time distribution",
  throughput: "throughput",
  wip: "work in progress",
  cfd: "cumulative flow",
  aging: "aging work",
  blockers: "blockers",
  quality: "data quality",
};

function describeView(kind: ShareKind, chart: string | null, teamName: string): string {
  if (kind === "dashboard") return `${teamName}: flow dashboard`;
  if (kind === "outcomes") return `${teamName}: outcomes`;
  return `${teamName}: ${CHART_TITLES[chart as ShareChart] ?? chart}`;
}

export type ShareLinkState = "live" | "gone" | "unknown";

function stateOf(link: ShareLinkRow | null, now: Date): ShareLinkState {
  if (!link) return "unknown";
  if (link.revokedAt || (link.expiresAt && link.expiresAt.getTime() <= now.getTime())) return "gone";
  return "live";
}

/**
 * Share links per client address: generous for views of a live link (a channel opening one link
 * together), strict for unknown and dead tokens (someone trying addresses).
 */
export const SHARE_LIMITS = {
  viewsPerAddress: { limit: 6000, windowSeconds: 60 },
  missesPerAddress: { limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

export interface ShareGuard {
  state: ShareLinkState;
  /** Set when the address has asked too often: answer 429 with this Retry-After. */
  retryAfterSeconds?: number;
  /** For a live link: what its rendering depends on (the link, the data's version, the minute of a rolling one). */
  version?: string;
  linkId?: number;
}

/** What the proxy answers an /s/{token} request from `address`, before the page is rendered. */
export async function guardShareRequest(ctx: Pick<ServiceContext, "db" | "now">, token: string, address: string): Promise<ShareGuard> {
  const views = await hitRateLimit(ctx.db, `share:address:${address}`, SHARE_LIMITS.viewsPerAddress, ctx.now);
  if (!views.allowed) return { state: "live", retryAfterSeconds: views.retryAfterSeconds };
  const link = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? await getShareLinkByHash(ctx.db, hashToken(token)) : null;
  const state = stateOf(link, ctx.now);
  if (state !== "live") {
    const misses = await hitRateLimit(ctx.db, `share:miss:${address}`, SHARE_LIMITS.missesPerAddress, ctx.now);
    if (!misses.allowed) return { state, retryAfterSeconds: misses.retryAfterSeconds };
    return { state };
  }
  const data = await getShareDataVersion(ctx.db, link!.teamId);
  const minute = link!.rollingDays === null ? "" : String(Math.floor(ctx.now.getTime() / 60_000));
  return { state, version: `${link!.id}:${data}:${minute}`, linkId: link!.id };
}

/** A visit served from the cache of the rendered view still counts. */
export async function countSharedViewVisit(ctx: Pick<ServiceContext, "db" | "now">, linkId: number): Promise<void> {
  await countShareLinkView(ctx.db, linkId, ctx.now);
}

/** Whether a token opens anything now: for the proxy, which answers 410 for a dead link. */
export async function shareLinkState(ctx: Pick<ServiceContext, "db" | "now">, token: string): Promise<ShareLinkState> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return "unknown";
  return stateOf(await getShareLinkByHash(ctx.db, hashToken(token)), ctx.now);
}

export interface SharedFlowView {
  kind: "chart" | "dashboard";
  chart: ShareChart | null;
  title: string;
  /** The headline a chat tool shows when the link is unfurled. */
  headline: string;
  team: { key: string; name: string; timezone: string; wipLimit: number | null };
  statuses: TeamStatus[];
  view: DashboardView;
  request: MetricRequest;
  reference: MetricRequest;
  /** Each metric the view draws, keyed like the dashboard's queries. */
  data: { metric: FlowMetric; request: MetricRequest; result: MetricResults[FlowMetric] }[];
  /** The team's annotations in the window. */
  annotations: Annotation[];
  window: string;
  asOf: string;
  createdAt: Date;
  rolling: boolean;
}

export interface SharedOutcomesView {
  kind: "outcomes";
  title: string;
  headline: string;
  team: { key: string; name: string; timezone: string };
  outcomes: OutcomesView;
  /** The team's annotations over the periods the chart draws. */
  annotations: Annotation[];
  overlay: boolean;
  asOf: string;
  rolling: boolean;
}

export type SharedView = SharedFlowView | SharedOutcomesView;

/** The actor a visit acts as: the link itself, nothing more. */
export function shareActor(link: Pick<ShareLinkRow, "id" | "teamId">): Actor {
  return { kind: "share", linkId: link.id, teamId: link.teamId };
}

/** Who a visitor with this token is: its live link, or nobody (an expired or revoked link is no credential). */
export async function actorOfShareToken(ctx: Pick<ServiceContext, "db" | "now">, token: string): Promise<Actor> {
  const link = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? await getShareLinkByHash(ctx.db, hashToken(token)) : null;
  return stateOf(link, ctx.now) === "live" ? shareActor(link!) : { kind: "anonymous" };
}

/**
 * Opens a shared view: 404 for an unknown token, 410 for an expired or revoked one, else the
 * view's data (and one more visit counted unless `count` is false, e.g. for its preview image).
 */
export async function openSharedView(ctx: Pick<ServiceContext, "db" | "now">, token: string, options: { count?: boolean } = {}): Promise<SharedView> {
  const link = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? await getShareLinkByHash(ctx.db, hashToken(token)) : null;
  const state = stateOf(link, ctx.now);
  if (state === "unknown") throw new AppError("NOT_FOUND", "There is no shared view at this address.");
  if (state === "gone") throw new AppError("GONE", "This shared view has expired or was revoked by the person who shared it.");
  const [team, version] = await Promise.all([getTeamById(ctx.db, link!.teamId), getShareDataVersion(ctx.db, link!.teamId)]);
  if (options.count !== false) await countShareLinkView(ctx.db, link!.id, ctx.now);
  // A frozen view changes only with the data; a rolling one also with the clock (to the minute).
  const key = `${link!.id}:${version}:${link!.rollingDays === null ? "" : Math.floor(ctx.now.getTime() / 60_000)}`;
  const cached = viewCache.get(key);
  if (cached) return cached;
  const view = link!.kind === "outcomes" ? await openOutcomes(ctx, link!, team!) : await openFlow(ctx, link!, team!);
  viewCache.set(key, view);
  return view;
}

/**
 * Shared views as last drawn, per link and data version: a link posted in a busy channel is opened
 * by many at once. Small, per process, and safe to lose (it is rebuilt from the database).
 */
const viewCache = new (class {
  private readonly entries = new Map<string, SharedView>();
  get(key: string) {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, view: SharedView) {
    this.entries.set(key, view);
    while (this.entries.size > 48) this.entries.delete(this.entries.keys().next().value!);
  }
})();

async function openFlow(ctx: Pick<ServiceContext, "db" | "now">, link: ShareLinkRow, team: Team): Promise<SharedFlowView> {
  const frozen = link.view;
  const rolling = link.rollingDays !== null;
  const view: DashboardView = rolling ? { ...parseView(frozen), range: null, ...rollingWindow(team, link.rollingDays!, ctx.now) } : parseView(frozen);
  const request = metricRequest(view, team.timezone, ctx.now);
  const reference = agingReferenceRequest(view, team.timezone, ctx.now);
  const chart = link.kind === "chart" ? (link.chart as ShareChart) : null;
  const metrics = chart ? METRICS_OF[chart] : (["cycle-time", "throughput", "wip", "cfd", "aging", "blockers", "quality"] as FlowMetric[]);
  const wanted = metrics.map((metric) => ({ metric, request }));
  if (chart === "aging" || chart === null) wanted.push({ metric: "cycle-time", request: reference });
  const asOf = request.as_of ? new Date(request.as_of) : ctx.now;
  const data = await Promise.all(
    wanted.map(async ({ metric, request: r }) => ({
      metric,
      request: r,
      result: withoutLinks(await computeMetric(ctx.db, metric, { team, asOf: r.as_of ? new Date(r.as_of) : ctx.now, from: r.from, to: r.to, type: r.type, details: true })),
    })),
  );
  const [statuses, annotations] = await Promise.all([listWorkflowStatuses(ctx.db, team.id), listAnnotationsForTeam(ctx.db, team.id, request.from, request.to)]);
  const title = describeView(link.kind, link.chart, team.name);
  return {
    kind: link.kind as "chart" | "dashboard",
    chart,
    title,
    headline: flowHeadline(team.name, chart, data, request),
    team: { key: team.key, name: team.name, timezone: team.timezone, wipLimit: team.wipLimit },
    statuses,
    view,
    request,
    reference,
    data,
    annotations,
    window: `${request.from} to ${request.to}`,
    asOf: asOf.toISOString(),
    createdAt: link.createdAt,
    rolling,
  };
}

function rollingWindow(team: Team, days: number, now: Date): { from: string; to: string } {
  const to = localDate(now, team.timezone);
  return { from: addDays(to, -(days - 1)), to };
}

/** Item pages are not linked from a shared view, nor the tracker behind them. */
function withoutLinks<T>(result: T): T {
  const r = result as { items?: { url?: unknown }[] };
  if (!Array.isArray(r.items)) return result;
  return {
    ...result,
    items: r.items.map((item) => {
      const copy = { ...item };
      delete copy.url;
      return copy;
    }),
  } as T;
}

function flowHeadline(teamName: string, chart: ShareChart | null, data: SharedFlowView["data"], request: MetricRequest): string {
  const of = <M extends FlowMetric>(m: M) => data.find((d) => d.metric === m && d.request === request)?.result as MetricResults[M] | undefined;
  const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
  switch (chart) {
    case "throughput": {
      const t = of("throughput");
      return `${teamName}: ${t?.daily.reduce((s, d) => s + d.count, 0) ?? 0} items finished from ${request.from} to ${request.to}`;
    }
    case "wip": {
      const w = of("wip");
      const last = w?.daily.at(-1);
      return `${teamName}: ${last?.wip ?? 0} items in progress on ${last?.date ?? request.to}${w?.limits?.team ? ` (limit ${w.limits.team})` : ""}`;
    }
    case "cfd": {
      const c = of("cfd");
      const first = c?.daily[0]?.by_category.done ?? 0;
      const last = c?.daily.at(-1)?.by_category.done ?? 0;
      return `${teamName}: ${last - first} items done since ${request.from}`;
    }
    case "aging": {
      const a = of("aging");
      const late = a?.items.filter((i) => i.exceeds === "p85" || i.exceeds === "p95").length ?? 0;
      return `${teamName}: ${a?.items.length ?? 0} items in progress, ${late} older than 85% of recent work`;
    }
    case "blockers":
      return `${teamName}: ${of("blockers")?.open.length ?? 0} open blockers`;
    case "quality": {
      const q = of("quality");
      const failing = new Set(q?.checks.flatMap((c) => c.items) ?? []).size;
      return `${teamName}: ${failing} of ${q?.items_checked ?? 0} items fail a data-quality check`;
    }
    default: {
      const p85 = of("cycle-time")?.percentiles.p85 ?? null;
      return p85 === null ? `${teamName}: no items finished from ${request.from} to ${request.to}` : `${teamName}: 85% of items in ${days(p85)} or less`;
    }
  }
}

async function openOutcomes(ctx: Pick<ServiceContext, "db" | "now">, link: ShareLinkRow, team: Team): Promise<SharedOutcomesView> {
  const v = link.view;
  const grain = v.grain === "day" || v.grain === "month" ? v.grain : "week";
  const outcomes = await getOutcomesView(ctx.db, { team: team.key, kpi: v.kpi ?? "", window: v.window, as_of: link.rollingDays ? undefined : v.as_of, grain }, ctx.now);
  const shipped = outcomes.milestones.filter((m) => m.shipped_on !== null && m.change_vs_trend !== null);
  const best = shipped.sort((a, b) => Math.abs(b.relative_change_vs_trend ?? 0) - Math.abs(a.relative_change_vs_trend ?? 0))[0];
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const headline = best
    ? `${team.name}: ${best.name} moved ${outcomes.kpi.name} ${best.relative_change_vs_trend === null ? "" : `${pct(best.relative_change_vs_trend)} `}against its trend`
    : `${team.name}: ${outcomes.kpi.name} and ${outcomes.milestones.length} milestones`;
  // The periods the chart draws: the KPI's and those of ship and due dates (as the outcomes page asks).
  const periods = [...outcomes.series.map((p) => p.period), ...outcomes.milestones.flatMap((m) => [m.shipped_on, m.due_on].filter((d): d is string => d !== null).map((d) => periodOf(d, grain)))];
  const span = periodsCover(periods);
  const annotations = span ? await listAnnotationsForTeam(ctx.db, team.id, span.from, span.to) : [];
  return {
    kind: "outcomes",
    title: describeView("outcomes", null, team.name),
    annotations,
    headline,
    team: { key: team.key, name: team.name, timezone: team.timezone },
    outcomes,
    overlay: v.overlay === "1",
    asOf: (link.rollingDays || !v.as_of ? ctx.now : new Date(v.as_of)).toISOString(),
    rolling: link.rollingDays !== null,
  };
}
