// Rate limits live in the database: fixed windows counted by one atomic upsert, the same on PGlite
// and Postgres, and shared by every connection (every app instance) on it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import {
  checkRateLimit,
  clearOldRateLimits,
  clientAddressOf,
  hitRateLimit,
  limitInviteAcceptance,
  limitPasswordSignIn,
  RATE_LIMITS,
  TooManyRequestsError,
  windowStartOf,
} from "../../lib/services/rate-limit";
import { contextOf } from "../helpers/accounts";
import { engines, uniqueKey } from "../helpers/db";

const RULE = { limit: 10, windowSeconds: 15 * 60 };
const WINDOW_MS = RULE.windowSeconds * 1000;

/** Five minutes into the current window: near the wall clock, so no other test's cleanup removes it. */
function fiveMinutesIn(): Date {
  return new Date(windowStartOf(new Date(), RULE.windowSeconds).getTime() + 5 * 60_000);
}

async function refusal(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("the client address for limits", () => {
  const of = (xff?: string) => clientAddressOf(new Headers(xff === undefined ? {} : { "x-forwarded-for": xff }));
  it("is the first hop of X-Forwarded-For, IPv6 by its /64, else unknown", () => {
    expect(of("203.0.113.7, 10.0.0.1")).toBe("203.0.113.7");
    expect(of(" ::ffff:203.0.113.7 ")).toBe("203.0.113.7");
    expect(of("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(of("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(of()).toBe("unknown");
    expect(of("")).toBe("unknown");
    expect(of("not-an-address, 203.0.113.7")).toBe("unknown");
    expect(of("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(of("[2001:db8:1:2::9]:51234")).toBe("2001:db8:1:2::/64");
  });
});

describe.each(engines())("rate limits on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  it("allows 10 hits in a window and refuses the 11th, with the seconds left in the window", async () => {
    const key = uniqueKey("rl");
    const now = fiveMinutesIn();
    for (let i = 1; i <= 10; i++) expect(await hitRateLimit(database.db, key, RULE, now)).toEqual({ allowed: true, retryAfterSeconds: 0, hits: i });
    expect(await hitRateLimit(database.db, key, RULE, now)).toEqual({ allowed: false, retryAfterSeconds: 600, hits: 11 });
    expect(await hitRateLimit(database.db, key, RULE, new Date(now.getTime() + 1500))).toMatchObject({ allowed: false, retryAfterSeconds: 599 });
    // Another key has a count of its own.
    expect(await hitRateLimit(database.db, uniqueKey("rl"), RULE, now)).toEqual({ allowed: true, retryAfterSeconds: 0, hits: 1 });
  });

  it("starts again in the next window", async () => {
    const key = uniqueKey("rl");
    const start = windowStartOf(new Date(), RULE.windowSeconds).getTime();
    for (let i = 0; i < 11; i++) await hitRateLimit(database.db, key, RULE, new Date(start + i * 1000));
    expect(await hitRateLimit(database.db, key, RULE, new Date(start + WINDOW_MS - 1))).toEqual({ allowed: false, retryAfterSeconds: 1, hits: 12 });
    expect(await hitRateLimit(database.db, key, RULE, new Date(start + WINDOW_MS))).toEqual({ allowed: true, retryAfterSeconds: 0, hits: 1 });
  });

  it("counts concurrent hits exactly once each", async () => {
    const key = uniqueKey("rl");
    const now = fiveMinutesIn();
    const results = await Promise.all(Array.from({ length: 25 }, () => hitRateLimit(database.db, key, RULE, now)));
    expect(results.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  // Two connections to one database need the server (PGlite is one connection in one process).
  if (engine.name === "postgres") it("shares the count between two connections (two app instances)", async () => {
    const other = await engine.open();
    try {
      const key = uniqueKey("rl");
      const now = fiveMinutesIn();
      for (let i = 0; i < 5; i++) {
        await hitRateLimit(database.db, key, RULE, now);
        await hitRateLimit(other.db, key, RULE, now);
      }
      expect(await hitRateLimit(other.db, key, RULE, now)).toMatchObject({ allowed: false, hits: 11 });
      // At once from both: still one count.
      const both = uniqueKey("rl");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => hitRateLimit(i % 2 ? database.db : other.db, both, RULE, now)));
      expect(results.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await other.close();
    }
  });

  it("forgets windows that started more than a day ago", async () => {
    const key = uniqueKey("rl");
    const now = fiveMinutesIn();
    const old = new Date(now.getTime() - 2 * 86_400_000);
    await hitRateLimit(database.db, key, RULE, old);
    await hitRateLimit(database.db, key, RULE, now);
    // Any process's sign-in may have cleared it already (the service clears as it goes): what
    // counts is that the old window is gone and the current one kept.
    await clearOldRateLimits(database.db, now);
    expect((await hitRateLimit(database.db, key, RULE, old)).hits).toBe(1);
    expect((await hitRateLimit(database.db, key, RULE, now)).hits).toBe(2);
  });

  it("refuses windows longer than a day", async () => {
    await expect(hitRateLimit(database.db, uniqueKey("rl"), { limit: 1, windowSeconds: 2 * 86_400 }, new Date())).rejects.toThrow(/1 day/);
  });

  it("checkRateLimit throws TOO_MANY_REQUESTS (429) with the wait in minutes and seconds", async () => {
    const ctx = contextOf(database, ANONYMOUS, fiveMinutesIn());
    const key = uniqueKey("share");
    const rule = { limit: 2, windowSeconds: 60 };
    await checkRateLimit(ctx, key, rule);
    await checkRateLimit(ctx, key, rule);
    const error = await refusal(checkRateLimit(ctx, key, rule));
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS", status: 429, message: "Too many requests: try again in 1 minute." });
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(60);
    expect(error.details).toEqual([{ where: "retryAfterSeconds", message: "60" }]);
  });

  it("limits password sign-in per email whatever its case, and per address", async () => {
    const ctx = contextOf(database, ANONYMOUS, fiveMinutesIn());
    const email = `${uniqueKey("who")}@example.com`;
    for (let i = 0; i < RATE_LIMITS.signInPerEmail.limit; i++) await limitPasswordSignIn(ctx, i % 2 ? email.toUpperCase() : email, uniqueKey("addr"));
    const error = await refusal(limitPasswordSignIn(ctx, ` ${email} `, uniqueKey("addr")));
    expect(error.message).toBe("Too many sign-in attempts: try again in 10 minutes.");
    expect(error.status).toBe(429);

    const address = uniqueKey("addr");
    for (let i = 0; i < RATE_LIMITS.signInPerAddress.limit; i++) await limitPasswordSignIn(ctx, `${uniqueKey("who")}@example.com`, address);
    expect((await refusal(limitPasswordSignIn(ctx, `${uniqueKey("who")}@example.com`, address))).code).toBe("TOO_MANY_REQUESTS");
  });

  it("limits accepting one invite, by a key that does not hold its token", async () => {
    const ctx = contextOf(database, ANONYMOUS, fiveMinutesIn());
    const token = uniqueKey("tok");
    for (let i = 0; i < RATE_LIMITS.invitePerToken.limit; i++) await limitInviteAcceptance(ctx, token, uniqueKey("addr"));
    expect((await refusal(limitInviteAcceptance(ctx, token, uniqueKey("addr")))).status).toBe(429);
    const { rateLimits } = await import("../../lib/db/schema");
    const { like } = await import("drizzle-orm");
    expect(await database.db.select().from(rateLimits).where(like(rateLimits.key, `%${token}%`))).toEqual([]);
  });
});
