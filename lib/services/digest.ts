// The weekly digest: its page and feed for readers of the teams, its subscriptions for admins, and
// the delivery the scheduler (and `throughline digest send`) runs as the system.
import "server-only";
import { z } from "zod";
import { principalOf } from "../auth/actors";
import { canAdminister, seesTeam, SYSTEM, type Actor } from "../auth/permissions";
import {
  claimDigestDelivery,
  deleteDigestSubscription,
  ensureDigestDelivery,
  finishDigestDelivery,
  getDigestDelivery,
  getDigestSubscription,
  insertDigestSubscription,
  listDigestDeliveries,
  listDigestSubscriptionRows,
  type DigestSubscriptionRow,
} from "../db/queries/digest";
import { getTeamById, getTeamByKey, listTeams, type Team } from "../db/queries/teams";
import { getActiveUser, getUserByEmail } from "../db/queries/users";
import type { OutboundPolicy } from "../connectors/http/outbound";
import { trackerPolicy } from "../connectors";
import { buildDigest, type Digest, type DigestView } from "../digest/content";
import { gatherDigest } from "../digest/gather";
import { digestHref, resolveLinks, withAppLinks } from "../digest/links";
import { renderAtom, renderText } from "../digest/render";
import { DeliveryError, postDigestWebhook, sendDigestMail, type MailSettings } from "../digest/send";
import { dueWeek, isMonday, lastCompleteWeek } from "../digest/week";
import { env, SECRET_NAME, secretFromEnv } from "../env";
import { AppError, invalidInput, logInternalError } from "../errors";
import { addDays, isValidTimeZone } from "../time/calendar";
import { allow, type ServiceContext } from "./context";
import { createShareLink, revokeShareLink } from "./share-links";
import { listVisibleTeams, requireTeam } from "./teams";

const WeekInput = z.string().refine(isMonday, { error: "week must be a Monday, written YYYY-MM-DD" });

export const DigestQuery = z.object({
  team: z.string().min(1, { error: "team must not be empty" }).optional(),
  week: WeekInput.optional(),
});

/** The teams of a digest as the actor sees them: one team (404 outside theirs), or every visible one. */
async function digestTeams(ctx: ServiceContext, team: string | undefined): Promise<{ teams: Team[]; teamName: string | null }> {
  if (team !== undefined) {
    const t = await requireTeam(ctx, team);
    return { teams: [t], teamName: t.name };
  }
  return { teams: await listVisibleTeams(ctx), teamName: null };
}

async function buildFor(ctx: ServiceContext, teams: Team[], teamName: string | null, week: string | undefined): Promise<Digest> {
  // Without a week: the last complete one, in the (first) team's timezone.
  const monday = week ?? lastCompleteWeek(ctx.now, teams[0]?.timezone ?? "UTC");
  const facts = await gatherDigest(ctx.db, teams, monday, ctx.now, { teamName });
  if (teams.length > 0 && facts.teams.length === 0) {
    throw new AppError("INVALID_INPUT", `the week of ${monday} has not begun`, [{ where: "week", message: "in the future" }]);
  }
  return buildDigest(facts);
}

export interface DigestPage {
  digest: Digest<string>;
  team: { key: string; name: string } | null;
  previousWeek: string;
  nextWeek: string | null;
}

/** `/digest?team=…&week=…`: the digest with the app's links (relative), for anyone who sees the team(s). */
export async function getDigest(ctx: ServiceContext, input: unknown): Promise<DigestPage> {
  const parsed = DigestQuery.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { teams, teamName } = await digestTeams(ctx, parsed.data.team);
  const digest = await buildFor(ctx, teams, teamName, parsed.data.week);
  const next = addDays(digest.week, 7);
  const team = parsed.data.team !== undefined ? { key: teams[0]!.key, name: teams[0]!.name } : null;
  return {
    digest: withAppLinks(digest),
    team,
    previousWeek: addDays(digest.week, -7),
    nextWeek: next <= lastCompleteWeek(ctx.now, teams[0]?.timezone ?? "UTC") ? next : null,
  };
}

/** Weeks an Atom feed holds: enough for a reader that polls weekly to miss one. */
export const FEED_WEEKS = 4;

/** An Atom feed of the last complete weeks' digests; `base` makes its links absolute. */
export async function getDigestFeed(ctx: ServiceContext, input: unknown, base: string): Promise<string> {
  const parsed = DigestQuery.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { teams, teamName } = await digestTeams(ctx, parsed.data.team);
  const last = lastCompleteWeek(ctx.now, teams[0]?.timezone ?? "UTC");
  const entries = [];
  for (let i = 0; i < FEED_WEEKS; i++) {
    const digest = await buildFor(ctx, teams, teamName, addDays(last, -7 * i));
    entries.push({ digest: withAppLinks(digest, base), link: `${base}${digestHref(digest.week, parsed.data.team)}`, updated: new Date(`${addDays(digest.week, 7)}T00:00:00Z`) });
  }
  const self = `${base}/digest/feed${parsed.data.team ? `?team=${encodeURIComponent(parsed.data.team)}` : ""}`;
  return renderAtom({ title: `${teamName ?? "Your teams"}: weekly digest`, id: self, link: `${base}${digestHref(last, parsed.data.team)}`, updated: entries[0]?.updated ?? ctx.now, entries });
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export const SubscriptionInput = z
  .object({
    team: z.string().min(1).optional(),
    /** A leader's email: their digest holds every team they may see. */
    leader: z.string().min(1).optional(),
    channel: z.enum(["email", "webhook"], { error: "channel must be email or webhook" }),
    address: z.email({ error: "address must be an email address" }).optional(),
    webhook_env: z
      .string()
      .regex(SECRET_NAME, { error: "the webhook URL is a credential: name a THROUGHLINE_SECRET_… variable that holds it" })
      .optional(),
    weekday: z
      .union([z.coerce.number().int().min(1).max(7), z.string().transform((v) => WEEKDAYS.indexOf(v.slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number]) + 1)])
      .refine((n) => n >= 1 && n <= 7, { error: "weekday must be 1–7 (Monday is 1) or mon…sun" })
      .default(1),
    hour: z.coerce.number().int().min(0, { error: "hour must be 0–23" }).max(23, { error: "hour must be 0–23" }).default(9),
    timezone: z.string().default("UTC").refine(isValidTimeZone, { error: "not an IANA timezone" }),
  })
  .refine((s) => (s.team === undefined) !== (s.leader === undefined), { error: "give either a team or a leader", path: ["team"] })
  .refine((s) => s.channel !== "email" || s.address !== undefined, { error: "an email subscription needs an address", path: ["address"] })
  .refine((s) => s.channel !== "webhook" || s.webhook_env !== undefined, { error: "a webhook subscription names the variable of its URL", path: ["webhook_env"] });

/** Admins manage who receives digests (they may send any team's numbers anywhere). */
export async function createDigestSubscription(ctx: ServiceContext, input: unknown): Promise<DigestSubscriptionRow> {
  allow(canAdminister(ctx.actor));
  const parsed = SubscriptionInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const s = parsed.data;
  let teamId: number | null = null;
  let leaderId: number | null = null;
  if (s.team !== undefined) {
    const team = await getTeamByKey(ctx.db, s.team);
    if (!team) throw new AppError("TEAM_NOT_FOUND", `No team with key "${s.team}".`, [{ where: "team", message: "unknown team" }]);
    teamId = team.id;
  } else {
    const user = await getUserByEmail(ctx.db, s.leader!);
    if (!user || user.disabledAt) throw new AppError("NOT_FOUND", `No active account with email "${s.leader}".`, [{ where: "leader", message: "unknown account" }]);
    leaderId = user.id;
  }
  return insertDigestSubscription(ctx.db, {
    teamId,
    leaderId,
    channel: s.channel,
    address: s.channel === "email" ? s.address!.toLowerCase() : null,
    webhookEnv: s.channel === "webhook" ? s.webhook_env! : null,
    weekday: s.weekday,
    hour: s.hour,
    timezone: s.timezone,
    createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
  });
}

export async function listDigestSubscriptions(ctx: ServiceContext) {
  allow(canAdminister(ctx.actor));
  const rows = await listDigestSubscriptionRows(ctx.db);
  const deliveries = await listDigestDeliveries(ctx.db, rows.map((r) => r.subscription.id));
  return rows.map((r) => ({
    ...r.subscription,
    team: r.team,
    leader: r.leader,
    lastDelivery: deliveries.filter((d) => d.subscriptionId === r.subscription.id).at(-1) ?? null,
  }));
}

export async function removeDigestSubscription(ctx: ServiceContext, id: number): Promise<void> {
  allow(canAdminister(ctx.actor));
  if (!(await deleteDigestSubscription(ctx.db, id))) throw new AppError("NOT_FOUND", `No digest subscription ${id}.`);
}

export interface DeliveryOptions {
  /** THROUGHLINE_PUBLIC_URL: mailed and posted links are absolute. */
  publicUrl?: string;
  mail?: MailSettings;
  /** Where webhooks may be posted (THROUGHLINE_FETCH_ALLOW etc.). */
  policy: OutboundPolicy;
  /** Days a digest's share links stay open. */
  shareDays?: number;
}

export const DIGEST_SHARE_DAYS = 30;
/** A "sending" claim older than this belongs to a worker that died: the delivery may be taken again. */
export const STALE_CLAIM_MS = 15 * 60_000;
/** Attempts after which the scheduler stops (pg-boss's first try and its retries). */
export const MAX_DELIVERY_ATTEMPTS = 4;

export function deliveryOptionsFromEnv(): DeliveryOptions {
  const e = env();
  const host = e.THROUGHLINE_PUBLIC_URL ? new URL(e.THROUGHLINE_PUBLIC_URL).hostname : "localhost";
  return {
    publicUrl: e.THROUGHLINE_PUBLIC_URL,
    mail: e.THROUGHLINE_SMTP_URL ? { url: e.THROUGHLINE_SMTP_URL, from: e.THROUGHLINE_MAIL_FROM ?? `Throughline <throughline@${host}>` } : undefined,
    policy: { ...trackerPolicy(), timeoutMs: e.THROUGHLINE_FETCH_TIMEOUT_MS },
  };
}

/** The teams a subscription's digest holds, re-read at each send: a leader's current teams. */
async function subscriptionTeams(ctx: ServiceContext, sub: DigestSubscriptionRow): Promise<{ teams: Team[]; teamName: string | null }> {
  if (sub.teamId !== null) {
    const team = await getTeamById(ctx.db, sub.teamId);
    if (!team) throw new DeliveryError("the subscription's team no longer exists");
    return { teams: [team], teamName: team.name };
  }
  const leader = await getActiveUser(ctx.db, sub.leaderId!);
  if (!leader) throw new DeliveryError("the leader's account is disabled or gone");
  const actor: Actor = { kind: "user", ...(await principalOf(ctx.db, leader)) };
  return { teams: (await listTeams(ctx.db)).filter((t) => seesTeam(actor, t.id)), teamName: null };
}

/** An email address with an account that sees every team of the digest reads the app; anyone else gets share links. */
async function hasAccountFor(ctx: ServiceContext, address: string, teams: readonly Team[]): Promise<boolean> {
  const user = await getUserByEmail(ctx.db, address);
  if (!user || user.disabledAt) return false;
  const actor: Actor = { kind: "user", ...(await principalOf(ctx.db, user)) };
  return teams.every((t) => seesTeam(actor, t.id));
}

function shareInput(view: DigestView, days: number): Record<string, unknown> {
  const base = { team: view.team, window: "fixed", expires_in_days: days };
  switch (view.kind) {
    case "chart":
      return { ...base, kind: "chart", chart: view.chart, view: { from: view.from, to: view.to, as_of: view.asOf } };
    case "dashboard":
      return { ...base, kind: "dashboard", view: { from: view.from, to: view.to, as_of: view.asOf } };
    case "outcomes":
      return { ...base, kind: "outcomes", view: { kpi: view.kpi, as_of: view.asOf } };
    case "item":
      return shareInput(view.shared, days);
  }
}

export type DeliveryOutcome = "sent" | "skipped";

/**
 * Delivers one subscription's digest of one week, at most once: the delivery row is claimed in
 * one statement, so another worker (or a second job) finds it taken or sent and skips. A failure
 * is recorded on the row and thrown, so the job queue retries it; the share links it made are
 * revoked, since nobody received them.
 */
export async function deliverDigest(ctx: ServiceContext, subscriptionId: number, week: string, options: DeliveryOptions): Promise<DeliveryOutcome> {
  allow(canAdminister(ctx.actor));
  if (!isMonday(week)) throw new AppError("INVALID_INPUT", "week must be a Monday, written YYYY-MM-DD", [{ where: "week", message: "not a Monday" }]);
  const sub = await getDigestSubscription(ctx.db, subscriptionId);
  if (!sub) return "skipped";
  await ensureDigestDelivery(ctx.db, sub.id, week);
  const claimed = await claimDigestDelivery(ctx.db, sub.id, week, ctx.now, new Date(ctx.now.getTime() - STALE_CLAIM_MS));
  if (!claimed) return "skipped";
  const made: number[] = [];
  try {
    if (!options.publicUrl) throw new DeliveryError("THROUGHLINE_PUBLIC_URL is not set: a mailed or posted digest needs the app's public address for its links");
    if (sub.channel === "email" && !options.mail) throw new DeliveryError("THROUGHLINE_SMTP_URL is not set: there is no mail server to send the digest through");
    const webhook = sub.channel === "webhook" ? secretFromEnv(sub.webhookEnv!) : undefined;
    if (sub.channel === "webhook" && !webhook) throw new DeliveryError(`${sub.webhookEnv} is not set: it should hold the webhook's URL`);
    const { teams, teamName } = await subscriptionTeams(ctx, sub);
    const built = await buildFor(ctx, teams, teamName, week);
    const base = options.publicUrl;
    const app = sub.channel === "email" && (await hasAccountFor(ctx, sub.address!, teams));
    const system: ServiceContext = { ...ctx, actor: SYSTEM };
    const digest = app
      ? withAppLinks(built, base)
      : await resolveLinks(built, async (view) => {
          // One link per view per digest (resolveLinks asks once per view), made by the system.
          const link = await createShareLink(system, shareInput(view, options.shareDays ?? DIGEST_SHARE_DAYS));
          made.push(link.id);
          return `${base}${link.path}`;
        });
    if (sub.channel === "email") await sendDigestMail(options.mail!, sub.address!, digest);
    else await postDigestWebhook(webhook!, options.policy, digest);
    await finishDigestDelivery(ctx.db, claimed.id, { status: "sent", at: new Date() });
    return "sent";
  } catch (error) {
    for (const id of made) await revokeShareLink({ ...ctx, actor: SYSTEM }, id).catch(() => {});
    let message: string;
    if (error instanceof DeliveryError) message = error.message;
    else if (error instanceof AppError) message = error.message;
    else {
      logInternalError(error);
      message = "an internal error stopped the digest (see the server log)";
    }
    await finishDigestDelivery(ctx.db, claimed.id, { status: "failed", error: message });
    throw error instanceof DeliveryError ? new AppError("SOURCE_FAILED", message) : error;
  }
}

/** Subscriptions whose moment has come this week and whose digest is neither sent nor given up on. */
export async function listDueDeliveries(ctx: ServiceContext): Promise<{ subscriptionId: number; week: string }[]> {
  allow(canAdminister(ctx.actor));
  const due = [];
  for (const { subscription: sub } of await listDigestSubscriptionRows(ctx.db, { enabled: true })) {
    const week = dueWeek(sub, ctx.now);
    if (!week) continue;
    const delivery = await getDigestDelivery(ctx.db, sub.id, week);
    if (delivery?.status === "sent" || (delivery && delivery.attempts >= MAX_DELIVERY_ATTEMPTS)) continue;
    due.push({ subscriptionId: sub.id, week });
  }
  return due;
}

/**
 * `throughline digest send`: a team's (or every) subscription's digest of a week, now, through the
 * same claim as the scheduler (a week already sent is not sent again). A dry run prints the digest
 * with the app's links and sends nothing.
 */
export async function sendDigestNow(ctx: ServiceContext, input: { team?: string; week?: string; dryRun?: boolean }, options: DeliveryOptions) {
  allow(canAdminister(ctx.actor));
  const parsed = DigestQuery.safeParse({ team: input.team, week: input.week });
  if (!parsed.success) throw invalidInput(parsed.error);
  const team = parsed.data.team !== undefined ? await requireTeam(ctx, parsed.data.team) : null;
  const week = parsed.data.week ?? lastCompleteWeek(ctx.now, team?.timezone ?? "UTC");
  if (input.dryRun) {
    const { teams, teamName } = team ? { teams: [team], teamName: team.name } : await digestTeams(ctx, undefined);
    const digest = withAppLinks(await buildFor(ctx, teams, teamName, week), options.publicUrl ?? "");
    return { week, text: renderText(digest), results: [] };
  }
  const subs = (await listDigestSubscriptionRows(ctx.db, { enabled: true, ...(team ? { teamId: team.id } : {}) })).map((r) => r.subscription);
  const results: { id: number; outcome: DeliveryOutcome | "failed"; error?: string }[] = [];
  for (const sub of subs) {
    try {
      results.push({ id: sub.id, outcome: await deliverDigest(ctx, sub.id, week, options) });
    } catch (error) {
      results.push({ id: sub.id, outcome: "failed", error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { week, text: null, results };
}

