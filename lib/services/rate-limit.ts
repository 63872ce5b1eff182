// Rate limits in the database (rate_limits: fixed windows, one atomic upsert per hit), so they hold
// across app instances, the same on Postgres and PGlite. Not rate-limiter-flexible: its Postgres store
// takes only node-postgres, Knex, Sequelize or TypeORM clients (we use postgres.js and PGlite); its
// Drizzle store needs a table of its own (key alone as primary key) and resets a window unlocked.
import "server-only";
import { createHash } from "node:crypto";
import ipaddr from "ipaddr.js";
import type { Db } from "../db/client";
import { countRateLimitHit, deleteRateLimitWindowsBefore } from "../db/queries/rate-limits";
import { AppError } from "../errors";
import type { ServiceContext } from "./context";

export interface RateLimitRule {
  /** Hits allowed per window; the next one is refused. */
  limit: number;
  /** The window's length, at most a day (windows older than a day are cleared). */
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** 0 when allowed; else seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
  /** Hits in this window, this one included. */
  hits: number;
}

const MINUTES_15 = 15 * 60;

/** Every limit the app applies, in one place. */
export const RATE_LIMITS = {
  signInPerEmail: { limit: 10, windowSeconds: MINUTES_15 },
  signInPerAddress: { limit: 50, windowSeconds: MINUTES_15 },
  invitePerToken: { limit: 10, windowSeconds: MINUTES_15 },
  invitePerAddress: { limit: 30, windowSeconds: MINUTES_15 },
} as const satisfies Record<string, RateLimitRule>;

const DAY_MS = 86_400_000;
const CLEANUP_CHANCE = 0.01;
const MAX_KEY_LENGTH = 200;

/** The start of the fixed window `now` falls in (windows are aligned to the Unix epoch). */
export function windowStartOf(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Counts a hit of `key` and says whether it is within the rule. */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, now: Date): Promise<RateLimitResult> {
  if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1 || rule.windowSeconds * 1000 > DAY_MS) {
    throw new Error(`a rate-limit window must be 1 s to 1 day, not ${rule.windowSeconds} s`);
  }
  const start = windowStartOf(now, rule.windowSeconds);
  const hits = await countRateLimitHit(db, storedKey(key), start);
  if (Math.random() < CLEANUP_CHANCE) {
    await clearOldRateLimits(db, now).catch((error: unknown) => console.error("rate-limit cleanup failed:", error instanceof Error ? error.name : "error"));
  }
  if (hits <= rule.limit) return { allowed: true, retryAfterSeconds: 0, hits };
  const left = start.getTime() + rule.windowSeconds * 1000 - now.getTime();
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)), hits };
}

/** Forgets windows that started more than a day before `now` (hitRateLimit does it now and then). */
export function clearOldRateLimits(db: Db, now: Date): Promise<number> {
  return deleteRateLimitWindowsBefore(db, new Date(now.getTime() - DAY_MS));
}

/** A refused hit: 429, with the wait in seconds for a Retry-After header. */
export class TooManyRequestsError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    what = "requests",
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super("TOO_MANY_REQUESTS", `Too many ${what}: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, [
      { where: "retryAfterSeconds", message: String(retryAfterSeconds) },
    ]);
  }
}

/**
 * Counts a hit of `key` (e.g. `share:${address}`) and throws TooManyRequestsError (AppError
 * TOO_MANY_REQUESTS, 429) once the rule's limit is passed. Anyone may be limited: no permission check.
 */
export async function checkRateLimit(ctx: ServiceContext, key: string, rule: RateLimitRule, what = "requests"): Promise<void> {
  const result = await hitRateLimit(ctx.db, key, rule, ctx.now);
  if (!result.allowed) throw new TooManyRequestsError(result.retryAfterSeconds, what);
}

/**
 * The client's address for limits: the first hop of X-Forwarded-For (Next sets it to the socket's
 * address when no proxy did), IPv6 by its /64, "unknown" when missing or not an address.
 */
export function clientAddressOf(headers: Pick<Headers, "get">): string {
  const hop = headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "";
  // Some proxies add the client's port: 203.0.113.7:51234, [2001:db8::1]:51234.
  const first = /^\[([^\]]+)\](?::\d+)?$/.exec(hop)?.[1] ?? /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop)?.[1] ?? hop;
  if (!ipaddr.isValid(first)) return "unknown";
  const address = ipaddr.process(first);
  if (address.kind() === "ipv4") return address.toString();
  // One host on IPv6 usually holds a whole /64.
  return `${(address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(":")}::/64`;
}

/** Password sign-in: per address and per (lower-cased) email, checked before any password is. */
export async function limitPasswordSignIn(ctx: ServiceContext, email: string, address: string): Promise<void> {
  await checkRateLimit(ctx, `signin:address:${address}`, RATE_LIMITS.signInPerAddress, "sign-in attempts");
  await checkRateLimit(ctx, `signin:email:${email.trim().toLowerCase()}`, RATE_LIMITS.signInPerEmail, "sign-in attempts");
}

/** Accepting an invite: per address and per invite (by its token's hash: no token is stored). */
export async function limitInviteAcceptance(ctx: ServiceContext, token: string, address: string): Promise<void> {
  await checkRateLimit(ctx, `invite:address:${address}`, RATE_LIMITS.invitePerAddress, "attempts");
  await checkRateLimit(ctx, `invite:token:${sha256(token)}`, RATE_LIMITS.invitePerToken, "attempts");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Keys stay short whatever a form sent: a long one is kept as its hash. */
function storedKey(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : `${key.slice(0, 40)}#${sha256(key)}`;
}
