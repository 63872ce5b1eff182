// GitHub's REST API through Octokit, sending through the injected (guarded) fetch. Its throttling
// plugin handles GitHub's rate limits (primary: x-ratelimit-remaining 0 until x-ratelimit-reset;
// secondary: "secondary rate limit" with Retry-After) and its retry plugin the 5xx answers, each a
// bounded number of times; the waits go through `deps.wait`, so tests need not sleep. Every answer
// is parsed with zod; no message ever holds the token.
import "server-only";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { z } from "zod";
import { AppError, detailsFromZod } from "../../errors";
import {
  GitHubErrorBody,
  GitHubEventList,
  GitHubGraphqlError,
  GitHubHistoryAnswer,
  GitHubIssueList,
  GitHubProjectAnswer,
  GitHubRepository,
  GitHubTimelineAnswer,
  type GitHubConfig,
  type GitHubIssueEnvelope,
  type GitHubProjectConfig,
} from "./api-types";
import { sleep } from "../http/sleep";

export interface GitHubDeps {
  /** Every request goes through it: in production `createGuardedFetch(policy)`. */
  fetch: typeof fetch;
  /** Waits before a retry (tests pass a quick one). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries of one request after a rate limit or a 5xx before giving up; default 3. */
  maxRetries?: number;
  /** The longest wait a rate limit may ask for; a longer one (a spent hourly quota) fails the sync, which resumes later. Default 60 s. */
  maxWaitMs?: number;
  /** Items per page (GitHub's maximum, 100, by default). */
  pageSize?: number;
}

/** A plugin as Octokit.plugin takes it (the core package's type, reached without importing it). */
type OctokitPlugin = Parameters<typeof Octokit.plugin>[number];

export const PAGE_SIZE = 100;
export const MAX_PAGES = 10_000;
const BACKOFF_MS = 1_000;
const DEFAULT_MAX_WAIT_MS = 60_000;
const API_VERSION = "2022-11-28";
// The retry plugin retries what is not listed here: only 5xx. Rate limits (403/429) are the
// throttling plugin's, so a limit it gave up on is not retried a second way.
const NOT_RETRIED = Array.from({ length: 100 }, (_, i) => 400 + i);


// Projects (v2) are GraphQL only. A project's owner is a user or an organisation (the interface
// ProjectV2Owner has no login); the events of every project are kept, the mapper picks one.
const OWNER_LOGIN = "owner { ... on Organization { login } ... on User { login } }";
const PROJECT_EVENT_TYPES = "[PROJECT_V2_ITEM_STATUS_CHANGED_EVENT, REMOVED_FROM_PROJECT_V2_EVENT]";
const PROJECT_EVENTS = `pageInfo { hasNextPage endCursor }
      nodes {
        __typename
        ... on ProjectV2ItemStatusChangedEvent { id createdAt previousStatus status project { number ${OWNER_LOGIN} } }
        ... on RemovedFromProjectV2Event { id createdAt project { number ${OWNER_LOGIN} } }
      }`;
// An issue in more projects than this has the rest of its project items unread (its events are all read).
const PROJECT_ITEMS = 50;

export const PROJECT_HISTORY_QUERY = `query ThroughlineProjectHistory($ids: [ID!]!, $field: String!, $first: Int!) {
  nodes(ids: $ids) {
    ... on Issue {
      id
      projectItems(first: ${PROJECT_ITEMS}) {
        nodes {
          isArchived
          project { number ${OWNER_LOGIN} }
          fieldValue: fieldValueByName(name: $field) {
            __typename
            ... on ProjectV2ItemFieldSingleSelectValue { name updatedAt field { ... on ProjectV2FieldCommon { name } } }
          }
        }
      }
      timelineItems(first: $first, itemTypes: ${PROJECT_EVENT_TYPES}) {
      ${PROJECT_EVENTS}
      }
    }
  }
}`;

export const PROJECT_EVENTS_QUERY = `query ThroughlineProjectEvents($id: ID!, $after: String!, $first: Int!) {
  node(id: $id) {
    ... on Issue {
      timelineItems(first: $first, after: $after, itemTypes: ${PROJECT_EVENT_TYPES}) {
      ${PROJECT_EVENTS}
      }
    }
  }
}`;

export const PROJECT_QUERY = `query ThroughlineProject($owner: String!, $number: Int!, $field: String!) {
  repositoryOwner(login: $owner) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        title
        url
        field(name: $field) {
          __typename
          ... on ProjectV2FieldCommon { name }
          ... on ProjectV2SingleSelectField { options { id name } }
        }
      }
    }
  }
}`;

/** Octokit's RequestError (name "HttpError"), recognised by shape: the package is not ours to import. */
interface HttpError {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpError(error: unknown): error is HttpError {
  const e = error as { name?: unknown; status?: unknown } | null;
  return !!e && typeof e === "object" && e.name === "HttpError" && typeof e.status === "number";
}

function header(error: HttpError, name: string): string | null {
  const value = error.response?.headers?.[name];
  return value === undefined || value === null ? null : String(value);
}

/** The guard's own error (a refused address, a size or time cap), which Octokit wraps: never retried. */
function guardError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof AppError ? cause : null;
}

/**
 * The `errors` of a GraphQL answer, from Octokit's GraphqlResponseError (an answer with errors) or
 * from the throttling plugin's "GraphQL Rate Limit Exceeded" (which keeps the answer as `data`).
 */
function graphqlErrors(error: unknown): { errors: z.output<typeof GitHubGraphqlError>[]; data: unknown } | null {
  const e = error as { name?: unknown; errors?: unknown; data?: unknown } | null;
  if (!e || typeof e !== "object") return null;
  const listed = e.name === "GraphqlResponseError" ? e.errors : (e.data as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(listed)) return null;
  const errors = listed.map((x) => GitHubGraphqlError.safeParse(x)).flatMap((r) => (r.success ? [r.data] : []));
  return { errors, data: e.name === "GraphqlResponseError" ? e.data : null };
}

/** The wait before retrying a 5xx: its Retry-After when it gives one, else 1, 2, 4… s; capped. */
export function serverRetryDelay(retryAfter: string | null, failures: number, maxWaitMs: number): number {
  const seconds = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : null;
  return Math.min(maxWaitMs, seconds !== null ? seconds * 1000 : BACKOFF_MS * 2 ** Math.max(0, failures - 1));
}

/** True when Link names a next page. The next request is built from our own parameters, never from the URL. */
export function hasNextPage(link: string | undefined | null): boolean {
  return !!link && /<[^>]*>\s*;\s*rel="(?:[^"]*\s)?next(?:\s[^"]*)?"/.test(link);
}

export type GitHubClient = ReturnType<typeof createGitHubClient>;

export function createGitHubClient(config: GitHubConfig, deps: GitHubDeps) {
  const wait = deps.wait ?? sleep;
  const maxRetries = deps.maxRetries ?? 3;
  const maxWaitMs = deps.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  const host = new URL(config.baseUrl).host;
  const repoName = `${config.owner}/${config.repo}`;
  // Octokit sends the token without a "token "/"bearer " prefix someone may have pasted with it.
  const secrets = [...new Set([config.token, config.token.replace(/^(token|bearer) +/i, "")])].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => secrets.reduce((t, secret) => t.split(secret).join("[redacted]"), text);

  // The retry plugin re-runs a failed request with the same options object; the wait happens
  // here, inside both plugins, just before the re-run (so none follows the last failure).
  const pendingWait = new WeakMap<object, { failures: number; waitMs: number }>();
  const backoff: OctokitPlugin = (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const state = pendingWait.get(options);
      if (state && state.waitMs > 0) {
        const ms = state.waitMs;
        state.waitMs = 0;
        await wait(ms, options.request?.signal ?? undefined);
      }
      try {
        return await request(options);
      } catch (error) {
        const guard = guardError(error);
        if (guard) throw guard;
        if (isHttpError(error) && error.status >= 500) {
          const s = state ?? { failures: 0, waitMs: 0 };
          s.failures++;
          s.waitMs = serverRetryDelay(header(error, "retry-after"), s.failures, maxWaitMs);
          pendingWait.set(options, s);
        }
        throw error;
      }
    });
    return {};
  };

  // retryAfter is in seconds; the plugin itself then waits retryAfter × retryAfterBaseValue (0).
  const onLimit = async (retryAfter: number, options: { request?: { signal?: AbortSignal | null } }, _octokit: unknown, retryCount: number) => {
    const ms = Math.max(0, retryAfter) * 1000;
    if (retryCount >= maxRetries || ms > maxWaitMs) return false;
    await wait(ms, options.request?.signal ?? undefined);
    return true;
  };

  // Octokit swallows an error met while reading a JSON body (it keeps the text read so far), which
  // would turn the guard's size cap into a parse error: the body is read here, before Octokit.
  const buffered = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await deps.fetch(input, init);
    let body: ArrayBuffer;
    try {
      body = await response.arrayBuffer();
    } catch (error) {
      if (error instanceof AppError || init?.signal?.aborted) throw error;
      throw new AppError("SOURCE_FAILED", `GitHub ${host}: the answer broke off`);
    }
    const empty = [101, 204, 205, 304].includes(response.status);
    return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  const GitHubOctokit = Octokit.plugin(backoff, throttling, retry);
  const silent = () => {};
  const octokit = new GitHubOctokit({
    auth: config.token,
    baseUrl: config.baseUrl,
    userAgent: "throughline",
    request: { fetch: buffered },
    // Every failure reaches the caller as an AppError; Octokit's own log lines would only repeat it.
    log: { debug: silent, info: silent, warn: silent, error: silent },
    throttle: { onRateLimit: onLimit, onSecondaryRateLimit: onLimit, retryAfterBaseValue: 0 },
    retry: { retries: maxRetries, retryAfterBaseValue: 0, doNotRetry: NOT_RETRIED },
  });

  function failure(error: unknown, what: string): AppError {
    const guard = guardError(error);
    if (guard) return guard;
    if (!isHttpError(error)) return new AppError("SOURCE_FAILED", `GitHub ${host}: could not get ${what}`);
    const status = error.status;
    const body = GitHubErrorBody.safeParse(error.response?.data);
    const said = body.success ? scrub(body.data.message).slice(0, 200) : "";
    const quoted = said ? `: ${said}` : "";
    const at = `GitHub ${host} answered ${status} to ${what}`;
    const remaining = header(error, "x-ratelimit-remaining");
    if ((status === 403 || status === 429) && remaining === "0") {
      const reset = Number(header(error, "x-ratelimit-reset"));
      const until = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
      return new AppError("SOURCE_FAILED", `${at}: the token's rate limit is used up${until}; the next sync resumes where this one stopped`);
    }
    if ((status === 403 || status === 429) && /\bsecondary rate\b/i.test(said)) {
      return new AppError("SOURCE_FAILED", `${at}: GitHub is still rate-limiting this token after ${maxRetries + 1} tries (secondary rate limit); try again later`);
    }
    if (status === 429 || (status === 403 && header(error, "retry-after") !== null)) {
      return new AppError("SOURCE_FAILED", `${at}: too many requests; try again later${quoted}`);
    }
    switch (status) {
      case 401:
        return new AppError("SOURCE_FAILED", `${at}: GitHub refused the token (check it, or create a new one)`, [{ where: "token", message: "refused by GitHub" }]);
      case 403:
        return new AppError("SOURCE_FAILED", `${at}: the token may not read ${repoName}${quoted}`, [{ where: "token", message: "not allowed to read the repository" }]);
      case 404:
        return new AppError("SOURCE_FAILED", `${at}: there is no repository ${repoName}, or the token cannot see it`, [{ where: "repo", message: "not found on GitHub" }]);
      case 410:
        return new AppError("SOURCE_FAILED", `${at}: issues are disabled in ${repoName}${quoted}`, [{ where: "repo", message: "issues are disabled" }]);
    }
    if (status >= 500) return new AppError("SOURCE_FAILED", `${at}, ${maxRetries + 1} times in a row: try again later${quoted}`);
    return new AppError("SOURCE_FAILED", `${at}${quoted}`);
  }

  function parse<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const details = detailsFromZod(parsed.error, what);
    const first = details[0];
    throw new AppError("INVALID_INPUT", `GitHub ${host} answered ${what} in an unexpected shape: ${first ? `${first.where}: ${first.message}` : what}`, details);
  }

  type Send = (request: { signal?: AbortSignal }, headers: Record<string, string>) => Promise<{ data: unknown; headers: { link?: string } }>;

  /**
   * One GET: its data checked against the schema, the raw JSON kept for the payload, and whether
   * a next page exists; null instead of a 404/410 when `gone` says that is an answer.
   */
  async function get<S extends z.ZodType>(what: string, send: Send, schema: S, signal?: AbortSignal, gone = false): Promise<{ data: z.output<S>; raw: unknown; next: boolean } | null> {
    let response;
    try {
      response = await send({ signal }, { "x-github-api-version": API_VERSION });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (gone && isHttpError(error) && (error.status === 404 || error.status === 410)) return null;
      throw failure(error, what);
    }
    return { data: parse(schema, response.data, what), raw: response.data, next: hasNextPage(response.headers.link) };
  }

  /** What a GraphQL answer's errors mean, naming the setting to fix; GitHub's message is quoted without the token. */
  function graphqlFailure(errors: z.output<typeof GitHubGraphqlError>[], what: string): AppError {
    const first = errors[0];
    const said = first?.message ? `: ${scrub(first.message).slice(0, 200)}` : "";
    const at = `GitHub ${host} refused ${what}`;
    switch (first?.type) {
      case "INSUFFICIENT_SCOPES":
      case "FORBIDDEN":
        return new AppError("SOURCE_FAILED", `${at}${said} (a classic token needs the read:project scope, a fine-grained one Projects: read)`, [{ where: "token", message: "may not read the project (read:project)" }]);
      case "NOT_FOUND":
        return new AppError("SOURCE_FAILED", `${at}${said}`, [{ where: "project", message: "not found on GitHub, or the token cannot see it" }]);
      case "RATE_LIMITED":
        return new AppError("SOURCE_FAILED", `${at}: the token's GraphQL rate limit is used up; the next sync resumes where this one stopped`);
    }
    return new AppError("SOURCE_FAILED", `${at}${said}`);
  }

  /**
   * One GraphQL query through the same Octokit (and so the same guarded fetch, plugins and
   * waits) as REST; its data checked against the schema. With `partial`, nodes GitHub could not
   * find (deleted since they were listed) come back as null instead of failing the query.
   */
  async function graphql<S extends z.ZodType>(what: string, query: string, variables: Record<string, unknown>, schema: S, signal?: AbortSignal, partial = false): Promise<z.output<S>> {
    let data: unknown;
    try {
      data = await octokit.graphql(query, { ...variables, headers: { "x-github-api-version": API_VERSION }, request: { signal } });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      const guard = guardError(error);
      if (guard) throw guard;
      const answered = graphqlErrors(error);
      if (!answered) throw failure(error, what);
      if (!(partial && answered.data && answered.errors.length > 0 && answered.errors.every((e) => e.type === "NOT_FOUND"))) throw graphqlFailure(answered.errors, what);
      data = answered.data;
    }
    return parse(schema, data, what);
  }

  async function must<T>(result: Promise<T | null>): Promise<T> {
    const value = await result;
    if (value === null) throw new AppError("SOURCE_FAILED", `GitHub ${host}: no answer`);
    return value;
  }

  return {
    host,
    pageSize,

    repository: (signal?: AbortSignal) =>
      must(get("the repository", (request, headers) => octokit.request("GET /repos/{owner}/{repo}", { owner: config.owner, repo: config.repo, headers, request }), GitHubRepository, signal)),

    /** One page of the repository's issues and pull requests, every state. */
    async issuePage(query: { since: string | null; page: number; sort: "updated" | "created" }, signal?: AbortSignal): Promise<{ data: GitHubIssueEnvelope[]; raw: unknown[]; next: boolean }> {
      const page = await must(get(
        "the issues",
        (request, headers) =>
          octokit.request("GET /repos/{owner}/{repo}/issues", {
            owner: config.owner,
            repo: config.repo,
            state: "all",
            sort: query.sort,
            direction: "asc",
            per_page: pageSize,
            page: query.page,
            ...(query.since ? { since: query.since } : {}),
            headers,
            request,
          }),
        GitHubIssueList,
        signal,
      ));
      return { data: page.data, raw: page.raw as unknown[], next: page.next };
    },

    /**
     * Every issue event of one issue, oldest first, or null when the issue is gone (deleted, or
     * transferred away) since it was listed: the ids listing then drops it too.
     */
    async events(number: number, signal?: AbortSignal): Promise<unknown[] | null> {
      const events: unknown[] = [];
      const what = `the events of issue #${number}`;
      for (let page = 1; page <= MAX_PAGES; page++) {
        const result = await get(
          what,
          (request, headers) =>
            octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/events", {
              owner: config.owner,
              repo: config.repo,
              issue_number: number,
              per_page: pageSize,
              page,
              headers,
              request,
            }),
          GitHubEventList,
          signal,
          true,
        );
        if (result === null) return null;
        events.push(...(result.raw as unknown[]));
        if (!result.next) return events;
      }
      throw new AppError("SOURCE_FAILED", `GitHub ${host}: ${what} ran past ${MAX_PAGES} pages`);
    },

    /** The project and its field's options, or an error naming the setting that does not fit. */
    async project(project: GitHubProjectConfig, signal?: AbortSignal): Promise<{ title: string; url: string | null; options: { id: string; name: string }[] }> {
      const what = `project ${project.number} of ${project.owner}`;
      const answer = await graphql(what, PROJECT_QUERY, { owner: project.owner, number: project.number, field: project.field }, GitHubProjectAnswer, signal);
      if (!answer.repositoryOwner) throw new AppError("SOURCE_FAILED", `GitHub ${host}: there is no user or organisation ${project.owner}`, [{ where: "project.owner", message: "not found on GitHub" }]);
      const found = answer.repositoryOwner.projectV2;
      if (!found) throw new AppError("SOURCE_FAILED", `GitHub ${host}: ${project.owner} has no project ${project.number}, or the token cannot see it`, [{ where: "project.number", message: "not found on GitHub" }]);
      if (!found.field) throw new AppError("SOURCE_FAILED", `GitHub ${host}: ${what} has no field named "${project.field}"`, [{ where: "project.field", message: "no such field in the project" }]);
      if (found.field.__typename !== "ProjectV2SingleSelectField" || !found.field.options) {
        throw new AppError("SOURCE_FAILED", `GitHub ${host}: the field "${project.field}" of ${what} is not a single-select field`, [{ where: "project.field", message: "must be a single-select field" }]);
      }
      return { title: found.title, url: found.url ?? null, options: found.field.options.map((o) => ({ id: o.id, name: o.name })) };
    },

    /**
     * Each issue's project items (with the field's value now) and all its project events, raw,
     * by GraphQL id: one query for up to 100 issues, then one per further page of an issue's
     * events. An issue GitHub no longer finds is left out of the map.
     */
    async projectHistories(ids: readonly string[], field: string, signal?: AbortSignal): Promise<Map<string, { items: unknown[]; timeline: unknown[] }>> {
      const out = new Map<string, { items: unknown[]; timeline: unknown[] }>();
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        const answer = await graphql("the project history of the issues", PROJECT_HISTORY_QUERY, { ids: chunk, field, first: pageSize }, GitHubHistoryAnswer, signal, true);
        for (const node of answer.nodes) {
          if (!node) continue;
          const timeline = [...node.timelineItems.nodes];
          let page = node.timelineItems.pageInfo;
          for (let n = 1; page.hasNextPage && page.endCursor; n++) {
            const what = `the project events of issue ${node.id}`;
            if (n >= MAX_PAGES) throw new AppError("SOURCE_FAILED", `GitHub ${host}: ${what} ran past ${MAX_PAGES} pages`);
            const more = await graphql(what, PROJECT_EVENTS_QUERY, { id: node.id, after: page.endCursor, first: pageSize }, GitHubTimelineAnswer, signal, true);
            if (!more.node) break;
            timeline.push(...more.node.timelineItems.nodes);
            page = more.node.timelineItems.pageInfo;
          }
          out.set(node.id, { items: node.projectItems?.nodes ?? [], timeline });
        }
      }
      return out;
    },
  };
}
