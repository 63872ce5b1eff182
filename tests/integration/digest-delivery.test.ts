// Weekly digests through the pg-boss scheduler: two workers tick and work on one database, and each
// recipient gets the week's digest once — by mail (a local SMTP server) and by webhook (a local
// receiver); a failing mail server is retried with backoff and every attempt recorded.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { digestDeliveries, digestSubscriptions, shareLinks } from "../../lib/db/schema";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { lastCompleteWeek } from "../../lib/digest/week";
import { importHistory } from "../../lib/ingest/history";
import { DIGEST_QUEUE, DIGEST_TICK_QUEUE, startScheduler, type Scheduler } from "../../lib/jobs/scheduler";
import { createDigestSubscription, deliverDigest, sendDigestNow, type DeliveryOptions } from "../../lib/services/digest";
import { contextOf, makeUser } from "../helpers/accounts";
import { uniqueKey } from "../helpers/db";
import { freshEngines } from "../helpers/fresh-db";
import { historyDoc, sourceOf } from "../helpers/history";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Mail {
  to: string[];
  raw: string;
}

/** A local SMTP server; `failures` messages are refused with 451 first. */
async function startSmtp(failures = 0) {
  const mails: Mail[] = [];
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refused < failures) {
          refused++;
          return callback(Object.assign(new Error("mailbox busy, try again later"), { responseCode: 451 }));
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, refusals: () => refused, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function startWebhook() {
  const posts: { path: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push({ path: req.url ?? "", body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { posts, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Quoted-printable soft breaks and escapes undone, so the mail's links can be read. */
const decoded = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

const PUBLIC = "https://flow.example.com";
const policy = { allow: ["127.0.0.1"], maxBytes: 1024 * 1024, timeoutMs: 10_000 };

describe.each(freshEngines())("digest delivery on $name", (engine) => {
  let database: Database;
  let second: Database;
  let drop: () => Promise<void>;
  const schedulers: Scheduler[] = [];
  const team = uniqueKey("mail");

  beforeAll(async () => {
    ({ database, second, drop } = await engine.open());
    const now = new Date();
    const monday = lastCompleteWeek(now, "UTC");
    // Something to report: an item that finished in the week being digested.
    await importHistory(database.db, sourceOf(historyDoc(team, "UTC", [{ key: "M-1", transitions: [{ at: `${monday}T09:00:00Z`, to: "In Progress" }, { at: `${monday}T15:00:00Z`, to: "Done" }] }])));
  });
  afterEach(async () => {
    while (schedulers.length) await schedulers.pop()!.stop();
    await database.db.delete(digestSubscriptions);
  });
  afterAll(async () => drop?.());

  /** Due now: Monday 00:00 UTC of this week has come, and the subscription is older than that. */
  async function subscribe(input: Record<string, unknown>) {
    const sub = await createDigestSubscription(contextOf(database, SYSTEM), { team, weekday: "mon", hour: 0, timezone: "UTC", ...input });
    await database.db.update(digestSubscriptions).set({ createdAt: new Date(Date.now() - 8 * 86_400_000) }).where(eq(digestSubscriptions.id, sub.id));
    return sub;
  }

  const deliveriesOf = (subscriptionId: number) => database.db.select().from(digestDeliveries).where(eq(digestDeliveries.subscriptionId, subscriptionId));

  it("mails each recipient and posts each webhook once, across two workers ticking together", { timeout: 90_000 }, async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook();
    try {
      const reader = await makeUser(database, "viewer", [team]);
      const secretPath = `/services/T000/B000/${uniqueKey("secret")}`;
      process.env.THROUGHLINE_SECRET_DIGEST_HOOK = `${hook.url}${secretPath}`;
      const outsider = await subscribe({ channel: "email", address: "lead@example.com" });
      const member = await subscribe({ channel: "email", address: reader.email });
      const posted = await subscribe({ channel: "webhook", webhook_env: "THROUGHLINE_SECRET_DIGEST_HOOK" });
      const digest: DeliveryOptions = { publicUrl: PUBLIC, mail: { url: smtp.url, from: "Throughline <flow@example.com>" }, policy };
      for (const db of [database, second]) schedulers.push(await startScheduler(db, { pollingIntervalSeconds: 0.5, retryDelay: 1, digest, policy: { ...policy, importDir: "/nonexistent" }, trackerPolicy: policy }));
      // The cron tick is there on both engines; here both workers tick at once, twice.
      expect((await schedulers[0]!.boss.getSchedules(DIGEST_TICK_QUEUE)).map((s) => s.cron)).toEqual(["*/15 * * * *"]);
      await Promise.all(schedulers.flatMap((s) => [s.tickDigests(), s.tickDigests()]));
      await until("three sent deliveries", async () => {
        const rows = await database.db.select().from(digestDeliveries);
        return rows.filter((r) => r.status === "sent").length === 3 && rows;
      }, 60_000);
      // Later ticks find nothing due: the week is sent.
      await Promise.all(schedulers.map((s) => s.tickDigests()));
      await new Promise((r) => setTimeout(r, 3_000));

      const week = lastCompleteWeek(new Date(), "UTC");
      for (const sub of [outsider, member, posted]) {
        expect((await deliveriesOf(sub.id)).map((d) => [d.week, d.status, d.attempts, d.lastError])).toEqual([[week, "sent", 1, null]]);
      }
      expect(smtp.mails.map((m) => m.to).sort()).toEqual([["lead@example.com"], [reader.email]].sort());
      expect(hook.posts).toHaveLength(1);

      // Without an account: every link is a share link, and no app page is linked.
      const toOutsider = decoded(smtp.mails.find((m) => m.to[0] === "lead@example.com")!.raw);
      expect(toOutsider).toContain(`Subject: Team ${team}: week `);
      expect(toOutsider).toMatch(new RegExp(`${PUBLIC}/s/[A-Za-z0-9_-]{32}`));
      expect(toOutsider).not.toContain(`${PUBLIC}/teams/`);
      expect(toOutsider).toContain("Throughput: 1 item finished");
      // With an account that sees the team: the app's own views.
      const toMember = decoded(smtp.mails.find((m) => m.to[0] === reader.email)!.raw);
      expect(toMember).toContain(`${PUBLIC}/teams/${team}?from=${week}&to=`);
      expect(toMember).not.toContain(`${PUBLIC}/s/`);
      // The webhook: Slack-compatible JSON with share links, posted to the secret URL.
      expect(hook.posts[0]!.path).toBe(secretPath);
      const body = JSON.parse(hook.posts[0]!.body) as { text: string; blocks: { type: string; text: { text: string } }[] };
      expect(body.text).toContain(`week `);
      expect(body.blocks[0]!.type).toBe("header");
      expect(body.blocks.slice(1).map((b) => b.text.text).join("\n")).toMatch(new RegExp(`<${PUBLIC}/s/[A-Za-z0-9_-]{32}\\|Throughput: 1 item finished`));

      // Share links are the system's, live, and expire after 30 days.
      const teamId = (await getTeamByKey(database.db, team))!.id;
      const links = await database.db.select().from(shareLinks).where(and(eq(shareLinks.teamId, teamId), isNull(shareLinks.revokedAt)));
      expect(links.length).toBeGreaterThan(0);
      for (const l of links) {
        expect(l.createdBy).toBeNull();
        expect(Math.round((l.expiresAt!.getTime() - l.createdAt.getTime()) / 86_400_000)).toBe(30);
      }
    } finally {
      delete process.env.THROUGHLINE_SECRET_DIGEST_HOOK;
      await smtp.close();
      await hook.close();
    }
  });

  it("sends once when two workers take the same delivery at the same moment", { timeout: 60_000 }, async () => {
    const smtp = await startSmtp();
    try {
      const sub = await subscribe({ channel: "email", address: "lead@example.com" });
      const week = lastCompleteWeek(new Date(), "UTC");
      const options: DeliveryOptions = { publicUrl: PUBLIC, mail: { url: smtp.url, from: "flow@example.com" }, policy };
      // No queue in between: both go straight for the claim, each on its own connection.
      const outcomes = await Promise.all([database, second, database, second].map((db) => deliverDigest(contextOf(db, SYSTEM), sub.id, week, options)));
      expect(outcomes.sort()).toEqual(["sent", "skipped", "skipped", "skipped"]);
      expect(smtp.mails).toHaveLength(1);
      expect(await deliverDigest(contextOf(database, SYSTEM), sub.id, week, options)).toBe("skipped");
    } finally {
      await smtp.close();
    }
  });

  it("retries a failing mail server with backoff, records each attempt, and sends once it answers", { timeout: 90_000 }, async () => {
    const smtp = await startSmtp(2);
    try {
      const sub = await subscribe({ channel: "email", address: "lead@example.com" });
      const digest: DeliveryOptions = { publicUrl: PUBLIC, mail: { url: smtp.url, from: "flow@example.com" }, policy };
      schedulers.push(await startScheduler(database, { pollingIntervalSeconds: 0.5, retryDelay: 1, retryLimit: 3, digest, trackerPolicy: policy }));
      expect(await schedulers[0]!.tickDigests()).toBe(1);
      const failed = await until("a recorded failure", async () => {
        const [d] = await deliveriesOf(sub.id);
        return d?.status === "failed" && d;
      }, 30_000);
      expect(failed.lastError).toMatch(/the mail server did not take the message \(EMESSAGE 451\): 451 mailbox busy, try again later/);
      const sent = await until("the send after two refusals", async () => {
        const [d] = await deliveriesOf(sub.id);
        return d?.status === "sent" && d;
      }, 60_000);
      expect(sent.attempts).toBe(3);
      expect(sent.lastError).toBeNull();
      expect(smtp.refusals()).toBe(2);
      expect(smtp.mails).toHaveLength(1);
      // The links of the refused attempts were never received: revoked.
      const teamId = (await getTeamByKey(database.db, team))!.id;
      const live = await database.db.select().from(shareLinks).where(and(eq(shareLinks.teamId, teamId), isNull(shareLinks.revokedAt)));
      const inMail = [...decoded(smtp.mails[0]!.raw).matchAll(/\/s\/([A-Za-z0-9_-]{32})/g)].map((m) => m[1]);
      expect(new Set(inMail).size).toBeGreaterThan(0);
      expect(live.length).toBeGreaterThanOrEqual(new Set(inMail).size);
      // One job did it all: its first try and two retries.
      const jobs = (await schedulers[0]!.boss.findJobs<{ subscriptionId: number }>(DIGEST_QUEUE)).filter((j) => j.data.subscriptionId === sub.id);
      expect(jobs.map((j) => [j.state, j.retryCount])).toEqual([["completed", 2]]);
    } finally {
      await smtp.close();
    }
  });

  it("records a mail server that never answers as failed, and `digest send` then delivers it once", { timeout: 90_000 }, async () => {
    const smtp = await startSmtp(3);
    try {
      const sub = await subscribe({ channel: "email", address: "lead@example.com" });
      const digest: DeliveryOptions = { publicUrl: PUBLIC, mail: { url: smtp.url, from: "flow@example.com" }, policy };
      schedulers.push(await startScheduler(database, { pollingIntervalSeconds: 0.5, retryDelay: 1, retryLimit: 2, digest, trackerPolicy: policy }));
      await schedulers[0]!.tickDigests();
      const failed = await until("three failed attempts", async () => {
        const [d] = await deliveriesOf(sub.id);
        return d?.status === "failed" && d.attempts === 3 && d;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await deliveriesOf(sub.id))[0]).toMatchObject({ status: "failed", attempts: 3 });
      expect(failed.lastError).toContain("451");
      expect(smtp.mails).toHaveLength(0);
      const ctx = contextOf(database, SYSTEM);
      const first = await sendDigestNow(ctx, { team }, digest);
      expect(first.results).toEqual([{ id: sub.id, outcome: "sent" }]);
      const again = await sendDigestNow(ctx, { team }, digest);
      expect(again.results).toEqual([{ id: sub.id, outcome: "skipped" }]);
      expect(smtp.mails).toHaveLength(1);
      expect((await deliveriesOf(sub.id))[0]).toMatchObject({ status: "sent", attempts: 4, lastError: null });
    } finally {
      await smtp.close();
    }
  });

  it("refuses to deliver without THROUGHLINE_PUBLIC_URL, and never stores the webhook URL in an error", async () => {
    process.env.THROUGHLINE_SECRET_DIGEST_DOWN = "http://127.0.0.1:1/services/T/B/supersecret";
    try {
      const ctx = contextOf(database, SYSTEM);
      const mail = await subscribe({ channel: "email", address: "x@example.com" });
      const noUrl = await sendDigestNow(ctx, { team }, { policy });
      expect(noUrl.results).toEqual([{ id: mail.id, outcome: "failed", error: expect.stringContaining("THROUGHLINE_PUBLIC_URL is not set") }]);
      await database.db.delete(digestSubscriptions);
      const hook = await subscribe({ channel: "webhook", webhook_env: "THROUGHLINE_SECRET_DIGEST_DOWN" });
      const down = await sendDigestNow(ctx, { team }, { publicUrl: PUBLIC, policy });
      expect(down.results[0]).toMatchObject({ id: hook.id, outcome: "failed" });
      const [row] = await deliveriesOf(hook.id);
      expect(row!.lastError).toBe("the webhook could not be reached, or did not answer in time");
      expect(JSON.stringify(down)).not.toContain("supersecret");
    } finally {
      delete process.env.THROUGHLINE_SECRET_DIGEST_DOWN;
    }
  });
});
