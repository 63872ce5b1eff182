// A fake Jira Cloud site for the connector and sync tests: recorded payloads
// (tests/fixtures/jira/SOURCE.md), search/jql paged by nextPageToken, changelogs by startAt, and
// the failures a real site has.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

/* eslint-disable @typescript-eslint/no-explicit-any */

export const dir = path.join(import.meta.dirname, "../fixtures/jira");
export const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
export const recordedIssues = (): any[] => [
  ...read("devlake/_raw_jira_api_issues.subset.json").map((r: any) => r.data),
  ...["complete_sample__sample_issues__SP-1.json", "complete_sample__sample_issues__SP-5.json", "testdata__SP-10.json"].map((f) => read(`jirametrics/${f}`)),
];
export const recordedStatuses = read("devlake/_raw_jira_api_status.json").map((r: any) => r.data);

export const EMAIL = "sync-bot@example.com";
export const TOKEN = "ATATT3xFfGF0-fake-api-token-9d1c";
export const basic = (email: string, token: string) => Buffer.from(`${email}:${token}`).toString("base64");
export const CONFIG_JQL = "project in (SP, EE, K5) ORDER BY Rank ASC";
export const SCOPE = new Set(["SP", "EE", "K5"]);
export const SEARCH_JQL = /^\(project in \(SP, EE, K5\)\)(?: AND updated >= "(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")? ORDER BY updated ASC$/;
/** The one issue whose embedded changelog the fake truncates (EE-1, 25 histories). */
export const TRUNCATED = "10063";
export const EMBEDDED_HISTORIES = 10;
export const PAGE_SIZE = 3;

export const instant = (jira: string) => Date.parse(jira.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));

interface Logged {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
  authorization?: string;
}
interface Failure {
  path: string;
  when?: (query: URLSearchParams) => boolean;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  times: number;
}

/** A fake Jira Cloud site: the account's timezone is Asia/Shanghai, as merico.atlassian.net's users'. */
export async function startFakeJira(options: { port?: number } = {}) {
  const state = {
    issues: new Map<string, any>(),
    log: [] as Logged[],
    failures: [] as Failure[],
    tokens: new Map<string, { jql: string; offset: number }>(),
    issued: 0,
    /** Answer search/jql with an issue that lacks fields.updated. */
    breakShape: false,
  };
  const reset = () => {
    state.issues = new Map(recordedIssues().map((i) => [i.id, i]));
    state.log = [];
    state.failures = [];
    state.breakShape = false;
  };
  reset();

  const matching = (since: string | null) =>
    [...state.issues.values()]
      .filter((i) => SCOPE.has(i.fields.project.key))
      .filter((i) => !since || instant(i.fields.updated) >= Date.parse(`${since.replace(" ", "T")}:00+08:00`))
      .sort((a, b) => instant(a.fields.updated) - instant(b.fields.updated));

  const ascending = (issue: any) => [...issue.changelog.histories].sort((a: any, b: any) => instant(a.created) - instant(b.created));

  function searchJql(query: URLSearchParams): [number, unknown] {
    const jql = query.get("jql") ?? "";
    const ids = query.get("fields") === "id";
    const m = ids ? (jql === "(project in (SP, EE, K5))" ? [jql, undefined] : null) : SEARCH_JQL.exec(jql);
    if (!m) return [400, { errorMessages: [`Error in the JQL Query: the fake site does not know ${jql}`], errors: {} }];
    let offset = 0;
    const token = query.get("nextPageToken");
    if (token) {
      const known = state.tokens.get(token);
      if (!known || known.jql !== jql) return [400, { errorMessages: ["Invalid nextPageToken"], errors: {} }];
      offset = known.offset;
    }
    const all = matching(m[1] ?? null);
    const nextOffset = offset + PAGE_SIZE;
    let next: string | undefined;
    if (nextOffset < all.length) {
      next = `tok-${++state.issued}`;
      state.tokens.set(next, { jql, offset: nextOffset });
    }
    let issues = all.slice(offset, nextOffset).map((i) => structuredClone(i));
    const pageIndex = offset / PAGE_SIZE;
    // What real sites do: the same issue twice in a page, and again at the top of the next page.
    if (pageIndex === 1) issues = [...issues, structuredClone(issues[0])];
    if (pageIndex === 2) issues = [structuredClone(all[offset - 1]), ...issues];
    if (ids) return [200, { issues: issues.map((i) => ({ id: i.id })), ...(next ? { nextPageToken: next } : {}), isLast: !next }];
    for (const issue of issues) {
      if (issue.id === TRUNCATED) {
        const histories = ascending(issue);
        issue.changelog = { startAt: 0, maxResults: EMBEDDED_HISTORIES, total: histories.length, histories: histories.slice(0, EMBEDDED_HISTORIES) };
      }
    }
    if (state.breakShape) delete issues[0].fields.updated;
    return [200, { issues, ...(next ? { nextPageToken: next } : {}), isLast: !next }];
  }

  function changelog(id: string, query: URLSearchParams): [number, unknown] {
    const issue = state.issues.get(id);
    if (!issue) return [404, { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} }];
    const histories = ascending(issue);
    const startAt = Number(query.get("startAt") ?? 0);
    const size = Math.min(Number(query.get("maxResults") ?? 100), 10);
    const values = histories.slice(startAt, startAt + size);
    return [200, { self: "…", maxResults: size, startAt, total: histories.length, isLast: startAt + values.length >= histories.length, values }];
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      state.log.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, status, authorization: req.headers.authorization });
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Basic ${basic(EMAIL, TOKEN)}`) {
      // A careless site repeating what it was sent: the connector must not pass it on.
      const sent = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
      return answer(401, { errorMessages: [`Basic authentication as ${sent} (${req.headers.authorization}) failed`] }, { "www-authenticate": 'Basic realm="jira"' });
    }
    const failure = state.failures.find((f) => f.times > 0 && f.path === url.pathname && (!f.when || f.when(url.searchParams)));
    if (failure) {
      failure.times--;
      return answer(failure.status, failure.body ?? { errorMessages: ["try later"] }, failure.headers);
    }
    const changelogPath = /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/.exec(url.pathname);
    if (url.pathname === "/rest/api/2/search") {
      return answer(410, { errorMessages: ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."], errors: {} });
    } else if (url.pathname === "/rest/api/3/myself") {
      return answer(200, { accountId: "5e9711ba34f7b90c0fbc37d3", displayName: "Sync Bot", emailAddress: EMAIL, timeZone: "Asia/Shanghai", active: true });
    } else if (url.pathname === "/rest/api/3/status") {
      return answer(200, recordedStatuses);
    } else if (url.pathname === "/rest/api/3/search/approximate-count" && req.method === "POST") {
      const { jql } = JSON.parse(body);
      if (jql !== "project in (SP, EE, K5)") return answer(400, { errorMessages: [`Error in the JQL Query: ${jql}`] });
      return answer(200, { count: matching(null).length });
    } else if (url.pathname === "/rest/api/3/search/jql") {
      return answer(...searchJql(url.searchParams));
    } else if (changelogPath) {
      return answer(...changelog(decodeURIComponent(changelogPath[1]!), url.searchParams));
    }
    return answer(404, { errorMessages: ["not found"] });
  });
  await new Promise<void>((r) => server.listen(options.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { state, reset, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

