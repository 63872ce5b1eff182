// Linear's GraphQL API through @linear/sdk: its client builds the auth header, checks the API URL
// and classifies errors; the request itself goes through the injected (guarded) fetch. Our own
// query documents fetch a page of issues with their history in one call, paged by cursor.
import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { LinearClient, LinearError, LinearErrorType, LinearGraphQLClient, parseLinearError, type LinearRawResponse } from "@linear/sdk";
import type { z } from "zod";
import { AppError, detailsFromZod } from "../../errors";
import type { FetchedPage, FetchOptions } from "../tracker";
import {
  IssueHistoryResponse,
  IssueIdsResponse,
  IssueRelationsResponse,
  IssuesResponse,
  LinearCursor,
  TeamResponse,
  WorkflowStatesResponse,
  type IssueEnvelope,
  type LinearConfig,
  type LinearTeam,
  type LinearWorkflowState,
  type PageInfo,
} from "./api-types";

export interface LinearDeps {
  /** Every request goes through it: in production `createGuardedFetch(policy)`. */
  fetch: typeof fetch;
  /** Waits before a retry (tests pass a short one). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries of one request after a rate limit or a 5xx, before giving up (default 4). */
  maxRetries?: number;
  /** Issues per page (default 25). */
  pageSize?: number;
}

// Linear refuses a query over 10,000 complexity points (an object 1, a field 0.1, times each
// connection's `first`): 25 issues × (50 history entries + 20 relations) stays near 6,000.
// Longer histories are fetched per issue, 100 entries a call.
const PAGE_SIZE = 25;
const HISTORY_FIRST = 50;
const RELATIONS_FIRST = 20;
const REST_FIRST = 100;
const IDS_FIRST = 250;
const MAX_RETRY_WAIT_MS = 60_000;

const HISTORY = "nodes { createdAt fromState { id name } toState { id name } } pageInfo { hasNextPage endCursor }";
const RELATIONS = "nodes { id type createdAt issue { id identifier completedAt canceledAt } } pageInfo { hasNextPage endCursor }";

const TEAM_QUERY = `query LinearTeam($filter: TeamFilter) {
  viewer { id name }
  teams(filter: $filter, first: 2) { nodes { id key name timezone } }
}`;

const STATES_QUERY = `query LinearWorkflowStates($filter: WorkflowStateFilter, $after: String) {
  workflowStates(filter: $filter, first: 100, after: $after) { nodes { id name type } pageInfo { hasNextPage endCursor } }
}`;

// Both project and cycle are kept in the payload, so switching the milestone setting re-maps
// what was stored without fetching again.
const ISSUES_QUERY = `query LinearIssues($filter: IssueFilter, $first: Int!, $after: String, $historyFirst: Int!, $relationsFirst: Int!) {
  issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) {
    nodes {
      id identifier title url createdAt updatedAt completedAt canceledAt
      team { id key timezone }
      state { id name }
      labels(first: 5) { nodes { id name } }
      project { id name targetDate completedAt }
      cycle { id number name endsAt completedAt }
      history(first: $historyFirst) { ${HISTORY} }
      inverseRelations(first: $relationsFirst) { ${RELATIONS} }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const HISTORY_QUERY = `query LinearIssueHistory($id: String!, $first: Int!, $after: String) {
  issue(id: $id) { history(first: $first, after: $after) { ${HISTORY} } }
}`;

const RELATIONS_QUERY = `query LinearIssueRelations($id: String!, $first: Int!, $after: String) {
  issue(id: $id) { inverseRelations(first: $first, after: $after) { ${RELATIONS} } }
}`;

const IDS_QUERY = `query LinearIssueIds($filter: IssueFilter, $first: Int!, $after: String) {
  issues(filter: $filter, first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
}`;

/** The SDK's GraphQL client, sending through the given fetch (v98 itself calls `globalThis.fetch`). */
class GuardedGraphQLClient extends LinearGraphQLClient {
  constructor(
    private readonly endpoint: string,
    private readonly init: RequestInit,
    private readonly send: typeof fetch,
  ) {
    super(endpoint, init);
  }

  override async rawRequest<Data, Variables extends Record<string, unknown>>(
    query: string,
    variables?: Variables,
    requestHeaders?: RequestInit["headers"],
    signal?: AbortSignal,
  ): Promise<LinearRawResponse<Data>> {
    const headers = new Headers(this.init.headers);
    new Headers(requestHeaders).forEach((value, name) => headers.set(name, value));
    headers.set("content-type", "application/json");
    const response = await this.send(this.endpoint, { method: "POST", headers, body: JSON.stringify({ query, variables }), signal });
    const result = await readResult<Data>(response);
    if (typeof result !== "string" && response.ok && !result.errors && result.data) return { ...result, headers: response.headers, status: response.status };
    throw parseLinearError({
      message: `GraphQL Error (Code: ${response.status})`,
      response: { ...(typeof result === "string" ? { error: result.slice(0, 300) } : result), status: response.status, headers: response.headers },
      request: { query, variables },
    });
  }

  override async request<Data, Variables extends Record<string, unknown>>(document: string, variables?: Variables, requestHeaders?: RequestInit["headers"]): Promise<Data> {
    return (await this.rawRequest<Data, Variables>(document, variables, requestHeaders)).data as Data;
  }
}

/** The body as the SDK reads it: JSON when it says so, else text. */
async function readResult<Data>(response: Response): Promise<LinearRawResponse<Data> | string> {
  if (!response.headers.get("content-type")?.startsWith("application/json")) return response.text();
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "(not JSON)";
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return "(not a GraphQL answer)";
  const { data, errors } = body as { data?: Data; errors?: unknown };
  return { data: data ?? undefined, errors: Array.isArray(errors) ? errors : errors ? [{}] : undefined };
}

type Failure = "rate" | "server" | "auth" | "forbidden" | "other";

function codes(error: LinearError): string[] {
  const raw = (error.raw?.response?.errors ?? []) as { extensions?: { code?: unknown } }[];
  return raw.map((e) => (typeof e?.extensions?.code === "string" ? e.extensions.code : ""));
}

// Linear answers a rate limit with HTTP 400 and `extensions.code: "RATELIMITED"` (the SDK only
// reads `extensions.type`), sometimes with 429.
function classify(error: LinearError): Failure {
  const status = error.status ?? 0;
  const c = codes(error);
  if (error.type === LinearErrorType.Ratelimited || status === 429 || c.includes("RATELIMITED")) return "rate";
  if (status >= 500 || error.type === LinearErrorType.InternalError || error.type === LinearErrorType.LockTimeout) return "server";
  if (status === 401 || c.includes("AUTHENTICATION_ERROR") || (error.type === LinearErrorType.AuthenticationError && !!error.errors?.length)) return "auth";
  if (status === 403 || error.type === LinearErrorType.Forbidden || c.includes("FORBIDDEN")) return "forbidden";
  return "other";
}

function retryDelay(error: LinearError, failure: Failure, attempt: number, now: number): number {
  const backoff = 1000 * 2 ** attempt;
  if (failure !== "rate") return Math.min(backoff, MAX_RETRY_WAIT_MS);
  const headers = error.raw?.response?.headers;
  const after = Number(headers?.get("retry-after"));
  const resets = ["x-ratelimit-requests-reset", "x-ratelimit-complexity-reset"].map((h) => Number(headers?.get(h))).filter((v) => v > now);
  const wait = Number.isFinite(after) && after > 0 ? after * 1000 : resets.length ? Math.min(...resets) - now : backoff;
  return Math.min(Math.max(wait, 250), MAX_RETRY_WAIT_MS);
}

const defaultWait = (ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal });

export class LinearApi {
  private readonly graphql: GuardedGraphQLClient;
  private readonly where: string;
  readonly pageSize: number;

  constructor(
    private readonly config: LinearConfig,
    private readonly deps: LinearDeps,
  ) {
    let linear: LinearClient;
    try {
      linear = new LinearClient({ apiKey: config.apiKey, apiUrl: config.apiUrl });
    } catch {
      throw new AppError("INVALID_INPUT", "apiUrl: Linear's API is reached over https (plain http only on this machine, for tests)", [
        { where: "apiUrl", message: "must be an https URL" },
      ]);
    }
    const { apiUrl, ...init } = linear.options;
    this.graphql = new GuardedGraphQLClient(apiUrl, init, deps.fetch);
    const url = new URL(apiUrl);
    this.where = `${url.protocol}//${url.host}${url.pathname}`;
    this.pageSize = deps.pageSize ?? PAGE_SIZE;
  }

  /** One query, retried on rate limits and 5xx; its data checked against the schema. */
  async query<T>(what: string, document: string, variables: Record<string, unknown>, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const maxRetries = this.deps.maxRetries ?? 4;
    const wait = this.deps.wait ?? defaultWait;
    for (let attempt = 0; ; attempt++) {
      let data: unknown;
      try {
        data = (await this.graphql.rawRequest(document, variables, undefined, signal)).data;
      } catch (error) {
        if (signal?.aborted || error instanceof AppError) throw error;
        if (!(error instanceof LinearError)) throw new AppError("SOURCE_FAILED", `${this.where}: could not reach Linear`);
        const failure = classify(error);
        if ((failure === "rate" || failure === "server") && attempt < maxRetries) {
          await wait(retryDelay(error, failure, attempt, Date.now()), signal);
          continue;
        }
        throw this.failed(what, error, failure, attempt + 1);
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        const details = detailsFromZod(parsed.error);
        throw new AppError("INVALID_INPUT", `Linear's answer to ${what} is not as expected: ${details[0]?.where}: ${details[0]?.message}`, details);
      }
      return parsed.data;
    }
  }

  /** An AppError that says what failed without repeating the key (Linear may echo what it was sent). */
  private failed(what: string, error: LinearError, failure: Failure, tries: number): AppError {
    const status = error.status ? `HTTP ${error.status}` : "no status";
    const said = this.redact((error.errors?.[0]?.message ?? "").slice(0, 200));
    switch (failure) {
      case "auth":
        return new AppError("SOURCE_FAILED", `Linear refused the API key (${status}, authentication error): check the key in this source's settings`, [
          { where: "apiKey", message: "refused by Linear" },
        ]);
      case "forbidden":
        return new AppError("SOURCE_FAILED", `Linear does not let this API key read ${what} (${status})`, [{ where: "apiKey", message: "not allowed by Linear" }]);
      case "rate":
        return new AppError("SOURCE_FAILED", `Linear is still rate-limiting this API key after ${tries} tries at ${what}: try again later`);
      case "server":
        return new AppError("SOURCE_FAILED", `${this.where} answered ${status} to ${what}, ${tries} times in a row`);
      default:
        return new AppError("SOURCE_FAILED", `Linear could not answer ${what} (${status})${said ? `: ${said}` : ""}`);
    }
  }

  private redact(text: string): string {
    return this.config.apiKey ? text.split(this.config.apiKey).join("[redacted]") : text;
  }

  /** The configured team (by key or id), or an error naming the setting. */
  async team(signal?: AbortSignal): Promise<{ team: LinearTeam; viewer: { name: string } }> {
    const { teamId, teamKey } = this.config;
    const filter = teamId ? { id: { eq: teamId } } : { key: { eq: teamKey } };
    const data = await this.query("the team", TEAM_QUERY, { filter }, TeamResponse, signal);
    const team = data.teams.nodes[0];
    if (!team) {
      const where = teamId ? "teamId" : "teamKey";
      throw new AppError("SOURCE_FAILED", `Linear has no team ${teamId ? `with id ${teamId}` : `with key ${teamKey}`} that this API key can see`, [
        { where, message: "no such team in Linear" },
      ]);
    }
    return { team, viewer: data.viewer };
  }

  async workflowStates(teamId: string, signal?: AbortSignal): Promise<LinearWorkflowState[]> {
    const states: LinearWorkflowState[] = [];
    await this.eachPage("the workflow states", async (after) => {
      const data = await this.query("the workflow states", STATES_QUERY, { filter: { team: { id: { eq: teamId } } }, after }, WorkflowStatesResponse, signal);
      states.push(...data.workflowStates.nodes);
      return data.workflowStates.pageInfo;
    });
    return states;
  }

  /**
   * Pages of the team's issues updated since, oldest cursor first; each page's cursor resumes
   * after it. A resumed sync keeps the filter it started with.
   */
  async *issuePages(teamId: string, options: FetchOptions): AsyncGenerator<FetchedPage> {
    let after: string | null = null;
    let since = options.updatedSince ? options.updatedSince.toISOString() : null;
    if (options.cursor !== undefined && options.cursor !== null) {
      const cursor = LinearCursor.safeParse(options.cursor);
      if (!cursor.success) throw new AppError("INVALID_INPUT", "cursor: not a cursor this Linear connector returned", [{ where: "cursor", message: "not a Linear cursor" }]);
      ({ after, updatedSince: since } = cursor.data);
    }
    const filter = { team: { id: { eq: teamId } }, ...(since ? { updatedAt: { gte: since } } : {}) };
    for (;;) {
      const variables = { filter, first: this.pageSize, after, historyFirst: HISTORY_FIRST, relationsFirst: RELATIONS_FIRST };
      const data = await this.query("the issues", ISSUES_QUERY, variables, IssuesResponse, options.signal);
      const records = [];
      for (const node of data.issues.nodes) {
        records.push({ id: node.id, updatedAt: node.updatedAt, payload: await this.complete(node, options.signal) });
      }
      const next = this.nextCursor("the issues", data.issues.pageInfo, after);
      yield { records, cursor: next ? ({ after: next, updatedSince: since } satisfies LinearCursor) : null };
      if (!next) return;
      after = next;
    }
  }

  /** The issue with every history entry and relation, fetching past the first page of each. */
  private async complete(node: IssueEnvelope, signal?: AbortSignal): Promise<unknown> {
    const history = [...node.history.nodes];
    const moreHistory = this.nextCursor(`the history of ${node.id}`, node.history.pageInfo, null);
    if (moreHistory) {
      await this.eachPage(`the history of ${node.id}`, async (after) => {
        const data = await this.query(`the history of ${node.id}`, HISTORY_QUERY, { id: node.id, first: REST_FIRST, after }, IssueHistoryResponse, signal);
        history.push(...data.issue.history.nodes);
        return data.issue.history.pageInfo;
      }, moreHistory);
    }
    const relations = [...node.inverseRelations.nodes];
    const moreRelations = this.nextCursor(`the relations of ${node.id}`, node.inverseRelations.pageInfo, null);
    if (moreRelations) {
      await this.eachPage(`the relations of ${node.id}`, async (after) => {
        const data = await this.query(`the relations of ${node.id}`, RELATIONS_QUERY, { id: node.id, first: REST_FIRST, after }, IssueRelationsResponse, signal);
        relations.push(...data.issue.inverseRelations.nodes);
        return data.issue.inverseRelations.pageInfo;
      }, moreRelations);
    }
    const done = { hasNextPage: false, endCursor: null };
    return { ...node, history: { nodes: history, pageInfo: done }, inverseRelations: { nodes: relations, pageInfo: done } };
  }

  /** The id of every issue of the team now; archived ones are left out, as Linear does by default. */
  async issueIds(teamId: string, signal?: AbortSignal): Promise<Set<string>> {
    const ids = new Set<string>();
    await this.eachPage("the issue ids", async (after) => {
      const data = await this.query("the issue ids", IDS_QUERY, { filter: { team: { id: { eq: teamId } } }, first: IDS_FIRST, after }, IssueIdsResponse, signal);
      for (const node of data.issues.nodes) ids.add(node.id);
      return data.issues.pageInfo;
    });
    return ids;
  }

  /** Calls `page` with each cursor until Linear says there is no next page. */
  private async eachPage(what: string, page: (after: string | null) => Promise<PageInfo>, start: string | null = null) {
    let after = start;
    for (;;) {
      const next = this.nextCursor(what, await page(after), after);
      if (!next) return;
      after = next;
    }
  }

  private nextCursor(what: string, info: PageInfo, previous: string | null): string | null {
    if (!info.hasNextPage) return null;
    if (!info.endCursor || info.endCursor === previous) throw new AppError("SOURCE_FAILED", `Linear said ${what} go on but gave no new cursor`);
    return info.endCursor;
  }
}
