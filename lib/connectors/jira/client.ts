// Jira Cloud REST v3 over plain `fetch`, not jira.js: jira.js goes through axios, which would bypass
// the injected guarded fetch (SSRF guard, size and time caps), and what we need is one paged call
// (/rest/api/3/search/jql by nextPageToken; /rest/api/2/search is removed and answers 410) plus the
// changelog and status endpoints. Basic auth (email + API token); every answer is parsed with zod;
// 429 and 5xx are retried a bounded number of times. Credentials never reach a message.
import "server-only";
import type { z } from "zod";
import { AppError, detailsFromZod, type ErrorDetail } from "../../errors";
import { isValidTimeZone } from "../../time/calendar";
import {
  JiraApproximateCount,
  JiraChangelogPage,
  JiraErrorBody,
  JiraIdPage,
  JiraMyself,
  JiraSearchPage,
  JiraStatusList,
  type JiraIssueEnvelope,
} from "./api-types";
import type { JiraConfig } from "./config";
import { sortHistories } from "./mapper";
import { sleep } from "../http/sleep";

export interface JiraDeps {
  /** In production createGuardedFetch(policy) from lib/connectors/http/outbound. */
  fetch: typeof fetch;
  /** Waits before a retry (tests pass a quick one). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries after a 429 or 5xx before giving up; default 4. */
  maxRetries?: number;
}

export const SEARCH_PAGE_SIZE = 100;
export const ID_PAGE_SIZE = 5000;
export const CHANGELOG_PAGE_SIZE = 100;
const MAX_CHANGELOG_PAGES = 1_000;
const BACKOFF_MS = 1_000;
const MAX_WAIT_MS = 60_000;
const RETRIED = new Set([429, 500, 502, 503, 504]);

/**
 * JQL reads `updated >= "yyyy-MM-dd HH:mm"` to the minute, in the API account's own timezone (its
 * profile's, from /myself). The literal is floored to the minute, and an hour earlier still: when
 * DST ends a wall-clock hour happens twice and Jira may read the later one. The extra hour is
 * fetched again, which is harmless (records are upserted); the engine's own overlap adds to it.
 */
export const SINCE_MARGIN_MS = 60 * 60_000;
/** Without a readable account timezone the literal is written in UTC, earlier by the widest offset. */
export const UNKNOWN_ZONE_MARGIN_MS = 14 * 60 * 60_000;

const jqlFormatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as a JQL date-time literal in a zone, floored to the minute: `2021-06-18 20:43`. */
export function jqlDateTime(instant: Date, timeZone: string): string {
  let f = jqlFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    jqlFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** The `updated >=` literal for an incremental fetch (see SINCE_MARGIN_MS). */
export function sinceLiteral(updatedSince: Date, timeZone: string | null | undefined): string {
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : null;
  const at = new Date(updatedSince.getTime() - SINCE_MARGIN_MS - (zone ? 0 : UNKNOWN_ZONE_MARGIN_MS));
  return jqlDateTime(at, zone ?? "UTC");
}

/** The user's JQL without a trailing ORDER BY (outside quotes), so it can be wrapped and reordered. */
export function baseJql(jql: string): string {
  let quote: string | null = null;
  let cut = -1;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (/^order\s+by\b/i.test(jql.slice(i)) && (i === 0 || /[\s)]/.test(jql[i - 1]!))) {
      cut = i;
      break;
    }
  }
  const base = (cut >= 0 ? jql.slice(0, cut) : jql).trim();
  if (!base) throw new AppError("INVALID_INPUT", "jql: needs a condition, e.g. project = SP", [{ where: "jql", message: "needs a condition, e.g. project = SP" }]);
  return base;
}

/** The search JQL: the user's condition, only issues updated since, oldest update first. */
export function searchJql(base: string, since: string | null): string {
  return since ? `(${base}) AND updated >= "${since}" ORDER BY updated ASC` : `(${base}) ORDER BY updated ASC`;
}

/** The wait a 429 or 5xx asks for: Retry-After (seconds or a date) or a doubling backoff, capped. */
export function retryDelay(retryAfter: string | null, attempt: number, now = Date.now()): number {
  let ms = BACKOFF_MS * 2 ** attempt;
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) ms = Number(retryAfter.trim()) * 1000;
  else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) ms = Date.parse(retryAfter) - now;
  return Math.min(MAX_WAIT_MS, Math.max(0, ms));
}


interface RequestOptions {
  query?: Record<string, string | number>;
  method?: "GET" | "POST";
  body?: unknown;
  signal?: AbortSignal;
  /** The setting a 400 points at (the JQL, for searches). */
  field?: string;
}

export type JiraClient = ReturnType<typeof createJiraClient>;

export function createJiraClient(config: JiraConfig, deps: JiraDeps) {
  const credentials = Buffer.from(`${config.email}:${config.apiToken}`).toString("base64");
  const authorization = `Basic ${credentials}`;
  const secrets = [config.apiToken, config.email, credentials].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);
  const host = new URL(config.siteUrl).host;
  const wait = deps.wait ?? sleep;
  const maxRetries = deps.maxRetries ?? 4;

  async function request<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<z.output<S>> {
    const method = options.method ?? "GET";
    const query = options.query ? `?${new URLSearchParams(Object.entries(options.query).map(([k, v]) => [k, String(v)]))}` : "";
    const where = `${method} ${path}`;
    const headers: Record<string, string> = { authorization, accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await deps.fetch(`${config.siteUrl}${path}${query}`, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        });
      } catch (error) {
        // The guard's errors name the host and never a secret; anything else is said plainly.
        if (error instanceof AppError || options.signal?.aborted) throw error;
        throw new AppError("SOURCE_FAILED", `Jira ${host}: could not connect`);
      }
      if (response.ok) return parse(schema, await readJson(response, where), where);
      if (RETRIED.has(response.status) && attempt < maxRetries) {
        const delay = retryDelay(response.headers.get("retry-after"), attempt);
        await response.body?.cancel().catch(() => {});
        await wait(delay, options.signal);
        continue;
      }
      throw await failure(response, path, attempt + 1, options.field);
    }
  }

  async function readText(response: Response, where: string): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("SOURCE_FAILED", `Jira ${host} ${where}: the answer broke off`);
    }
  }

  async function readJson(response: Response, where: string): Promise<unknown> {
    const text = await readText(response, where);
    try {
      return JSON.parse(text);
    } catch {
      throw new AppError("SOURCE_FAILED", `Jira ${host} ${where}: the answer is not JSON (is ${config.siteUrl} a Jira Cloud site?)`);
    }
  }

  function parse<S extends z.ZodType>(schema: S, json: unknown, where: string): z.output<S> {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const details = detailsFromZod(parsed.error, where);
    const first = details[0];
    throw new AppError("INVALID_INPUT", `Jira ${host} answered in an unexpected shape: ${first ? `${first.where}: ${first.message}` : where}`, details);
  }

  async function failure(response: Response, path: string, attempts: number, field?: string): Promise<AppError> {
    const status = response.status;
    const at = `Jira ${host}${path}`;
    // The body is read only to quote Jira's own error messages, scrubbed; never for a 401.
    let said = "";
    if (status !== 401) {
      const text = await response.text().catch(() => "");
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {}
      const parsed = JiraErrorBody.safeParse(body);
      if (parsed.success) {
        const messages = [...(parsed.data.errorMessages ?? []), ...Object.entries(parsed.data.errors ?? {}).map(([k, v]) => `${k}: ${String(v)}`)];
        said = scrub(messages.join("; ")).slice(0, 300);
      }
    } else {
      await response.body?.cancel().catch(() => {});
    }
    const quoted = said ? `: ${said}` : "";
    if (status === 401) return new AppError("SOURCE_FAILED", `${at} answered 401: Jira refused the email and API token (check both, or create a new API token for the account)`);
    if (status === 403) return new AppError("SOURCE_FAILED", `${at} answered 403: the account may not see this, or Jira asks it to solve a CAPTCHA after failed sign-ins${quoted}`);
    if (status === 404) return new AppError("SOURCE_FAILED", `${at} answered 404: check the site URL (a Jira Cloud site, e.g. https://your-team.atlassian.net)${quoted}`);
    if (status === 400) {
      const details: ErrorDetail[] = field ? [{ where: field, message: said || "refused by Jira" }] : [];
      return new AppError("SOURCE_FAILED", `${at} answered 400${field ? ` (check the ${field})` : ""}${quoted}`, details);
    }
    if (RETRIED.has(status)) return new AppError("SOURCE_FAILED", `${at} answered ${status}, ${attempts} times: try again later${quoted}`);
    return new AppError("SOURCE_FAILED", `${at} answered ${status}${quoted}`);
  }

  const fields = ["summary", "issuetype", "status", "created", "updated", "fixVersions", "parent", config.flaggedField].join(",");

  return {
    host,

    myself: (signal?: AbortSignal) => request(JiraMyself, "/rest/api/3/myself", { signal }),

    statuses: (signal?: AbortSignal) => request(JiraStatusList, "/rest/api/3/status", { signal }),

    approximateCount: (jql: string, signal?: AbortSignal) =>
      request(JiraApproximateCount, "/rest/api/3/search/approximate-count", { method: "POST", body: { jql }, signal, field: "jql" }),

    /** One page of issues with their embedded changelogs. */
    searchPage: (jql: string, nextPageToken: string | null, signal?: AbortSignal) =>
      request(JiraSearchPage, "/rest/api/3/search/jql", {
        query: { jql, fields, expand: "changelog", maxResults: SEARCH_PAGE_SIZE, ...(nextPageToken ? { nextPageToken } : {}) },
        signal,
        field: "jql",
      }),

    /** One page of issue ids. */
    idPage: (jql: string, nextPageToken: string | null, signal?: AbortSignal) =>
      request(JiraIdPage, "/rest/api/3/search/jql", {
        query: { jql, fields: "id", maxResults: ID_PAGE_SIZE, ...(nextPageToken ? { nextPageToken } : {}) },
        signal,
        field: "jql",
      }),

    /**
     * The issue with its whole changelog. A search embeds at most a page of it: when it says there
     * is more, the changelog is read from the start (which entries a search embeds is not
     * documented) and merged with the embedded ones by id.
     */
    async completeChangelog(issue: JiraIssueEnvelope, signal?: AbortSignal): Promise<JiraIssueEnvelope> {
      const embedded = issue.changelog;
      if (embedded && embedded.histories.length >= (embedded.total ?? 0)) return issue;
      const path = `/rest/api/3/issue/${encodeURIComponent(issue.id)}/changelog`;
      const byId = new Map(embedded?.histories.map((h) => [h.id, h]) ?? []);
      for (let startAt = 0, pages = 0; ; pages++) {
        if (pages >= MAX_CHANGELOG_PAGES) throw new AppError("SOURCE_FAILED", `Jira ${host}${path}: more than ${MAX_CHANGELOG_PAGES} changelog pages`);
        const page = await request(JiraChangelogPage, path, { query: { startAt, maxResults: CHANGELOG_PAGE_SIZE }, signal });
        for (const h of page.values) byId.set(h.id, h);
        startAt = page.startAt + page.values.length;
        if (page.isLast === true || page.values.length === 0 || startAt >= page.total) break;
      }
      const histories = sortHistories([...byId.values()]);
      return { ...issue, changelog: { ...embedded, startAt: 0, maxResults: histories.length, total: histories.length, histories } };
    },
  };
}
