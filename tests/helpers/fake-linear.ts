// A fake of Linear's GraphQL API for the connector and sync tests: answers in Linear's shapes,
// serves the recorded faros issues (tests/fixtures/linear/SOURCE.md), pages nested connections by
// its own small limits, and fails the ways Linear does.
import http from "node:http";
import { RECORDED_TEAM, recordedIssues, type CompletedIssue } from "../fixtures/linear/recorded";

export const KEY = "lin_api_T3stK3y0123456789abcdefSECRET";
export const OTHER_TEAM = { id: "7c1d2e3f-0000-4000-8000-00000000a0b0", key: "OPS", name: "Operations", timezone: "Europe/Berlin" };

export type Failure = "ratelimited" | "ratelimited-429" | "500" | "503" | "echo-key" | "bad-page";

/** One history entry in the recording's shape (a change of state, or another edit with none). */
export interface HistoryEntry {
  actor: { id: string } | null;
  createdAt: string;
  fromState: { id: string; name: string } | null;
  toState: { id: string; name: string } | null;
}

/** A recorded issue, with what a test may add that the recording did not select (completion, a project's dates). */
export interface StoredIssue {
  issue: Omit<CompletedIssue, "project" | "history"> & {
    history: { nodes: HistoryEntry[] };
    inverseRelations: { nodes: unknown[] };
    completedAt?: string | null;
    canceledAt?: string | null;
    project: { id: string; name: string; targetDate?: string | null; completedAt?: string | null } | null;
  };
  teamId: string;
  archived: boolean;
}

/** The variables our queries send (each query uses some of them). */
interface Vars {
  filter?: { id?: { eq?: string }; key?: { eq?: string }; team?: { id?: { eq?: string } }; updatedAt?: { gte?: string } };
  after?: string | null;
  first: number;
  historyFirst: number;
  relationsFirst: number;
  id: string;
}

export interface LoggedRequest {
  operation: string;
  variables: Vars;
  authorization: string | undefined;
}

/** What the fake Linear holds and how it pages; each test starts from `reset()`. */
export class FakeLinearState {
  issues: StoredIssue[] = [];
  states: { id: string; name: string; type: string; teamId: string }[] = [];
  failures: Failure[] = [];
  requests: LoggedRequest[] = [];
  /** Linear pages nested connections by its own limit too: small ones force the follow-up calls. */
  historyCap = 2;
  relationsCap = 1;
  idsCap = 4;
  statesCap = 4;

  reset() {
    this.issues = recordedIssues().map((issue) => ({ issue: { ...issue }, teamId: RECORDED_TEAM.id, archived: false }));
    // Two hand-written blocked-by relations on DEV-1 (the recording selected none).
    const dev1 = this.issues.find((s) => s.issue.identifier === "DEV-1")!;
    dev1.issue.inverseRelations = {
      nodes: [
        { id: "rel-1", type: "blocks", createdAt: "2022-06-17T09:00:00.000Z", issue: { id: "b-1", identifier: "DEV-3", completedAt: "2022-06-19T09:00:00.000Z", canceledAt: null } },
        { id: "rel-2", type: "blocks", createdAt: "2022-06-18T09:00:00.000Z", issue: { id: "b-2", identifier: "DEV-11", completedAt: null, canceledAt: null } },
      ],
    };
    const types = ["triage", "backlog", "unstarted", "started", "completed", "canceled"];
    this.states = [
      ...types.map((type, i) => ({ id: `dev-state-${i}`, name: `${type} state`, type, teamId: RECORDED_TEAM.id })),
      { id: "ops-state-0", name: "Ops todo", type: "unstarted", teamId: OTHER_TEAM.id },
    ];
    this.failures = [];
    this.requests = [];
  }

  byOperation(name: string) {
    return this.requests.filter((r) => r.operation === name);
  }

  /** The stored issue with this identifier (throws if there is none, so a typo fails loudly). */
  issue(identifier: string): StoredIssue {
    const found = this.issues.find((s) => s.issue.identifier === identifier);
    if (!found) throw new Error(`the fake Linear holds no ${identifier}`);
    return found;
  }
}

function respond(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function page<T>(all: T[], after: unknown, first: number, cap: number, cursorOf: (item: T, index: number) => string) {
  const start = typeof after === "string" ? all.findIndex((item, i) => cursorOf(item, i) === after) + 1 : 0;
  const nodes = all.slice(start, start + Math.min(first, cap));
  const last = start + nodes.length - 1;
  return { nodes, pageInfo: { hasNextPage: start + nodes.length < all.length, endCursor: nodes.length ? cursorOf(all[last]!, last) : null } };
}

const indexCursor = (prefix: string) => (_: unknown, i: number) => `${prefix}:${i}`;

function teamIssues(linear: FakeLinearState, filter: Vars["filter"]) {
  return linear.issues
    .filter((s) => !s.archived && s.teamId === filter?.team?.id?.eq)
    .filter((s) => !filter?.updatedAt?.gte || Date.parse(s.issue.updatedAt) >= Date.parse(filter.updatedAt.gte!))
    .sort((a, b) => Date.parse(b.issue.updatedAt) - Date.parse(a.issue.updatedAt) || a.issue.id.localeCompare(b.issue.id));
}

function served(linear: FakeLinearState, s: StoredIssue, historyFirst: number, relationsFirst: number) {
  const team = s.teamId === RECORDED_TEAM.id ? RECORDED_TEAM : OTHER_TEAM;
  return {
    ...s.issue,
    team: { id: team.id, key: team.key, timezone: team.timezone },
    history: page(s.issue.history.nodes, null, historyFirst, linear.historyCap, indexCursor("h")),
    inverseRelations: page(s.issue.inverseRelations.nodes, null, relationsFirst, linear.relationsCap, indexCursor("r")),
  };
}

function answer(linear: FakeLinearState, operation: string, v: Vars): unknown {
  switch (operation) {
    case "LinearTeam": {
      const teams = [RECORDED_TEAM, OTHER_TEAM].filter((t) => (v.filter?.id ? t.id === v.filter.id.eq : t.key === v.filter?.key?.eq));
      return { viewer: { id: "2b0a0f81-f259-488b-ba9a-ded7e4e7772d", name: "Kelvin Tran" }, teams: { nodes: teams } };
    }
    case "LinearWorkflowStates": {
      const states = linear.states.filter((s) => s.teamId === v.filter?.team?.id?.eq).map(({ teamId: _, ...s }) => s);
      return { workflowStates: page(states, v.after, 100, linear.statesCap, (s) => s.id) };
    }
    case "LinearIssues": {
      const issues = page(teamIssues(linear, v.filter), v.after, v.first, 50, (s) => s.issue.id);
      return { issues: { nodes: issues.nodes.map((s) => served(linear, s, v.historyFirst, v.relationsFirst)), pageInfo: issues.pageInfo } };
    }
    case "LinearIssueHistory":
    case "LinearIssueRelations": {
      const s = linear.issues.find((x) => x.issue.id === v.id)!;
      if (operation === "LinearIssueHistory") return { issue: { history: page(s.issue.history.nodes, v.after, v.first, linear.historyCap, indexCursor("h")) } };
      return { issue: { inverseRelations: page(s.issue.inverseRelations.nodes, v.after, v.first, linear.relationsCap, indexCursor("r")) } };
    }
    case "LinearIssueIds": {
      const ids = page(teamIssues(linear, v.filter), v.after, v.first, linear.idsCap, (s) => s.issue.id);
      return { issues: { nodes: ids.nodes.map((s) => ({ id: s.issue.id })), pageInfo: ids.pageInfo } };
    }
    default:
      throw new Error(`the fake Linear does not know ${operation}`);
  }
}

/** A fake Linear on a free loopback port, reset to the recordings; `url` is its GraphQL endpoint. */
export async function startFakeLinear() {
  const linear = new FakeLinearState();
  linear.reset();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Vars };
      const operation = /^\s*query\s+(\w+)/.exec(query)?.[1] ?? "(anonymous)";
      const authorization = req.headers.authorization;
      linear.requests.push({ operation, variables, authorization });
      if (authorization !== KEY) {
        // Linear's answer to a bad key; this one also repeats what it was sent, which must not leak.
        return respond(res, 401, {
          errors: [
            {
              message: `Authentication required, not authenticated (${authorization})`,
              extensions: { type: "authentication error", code: "AUTHENTICATION_ERROR", statusCode: 401, userError: true, userPresentableMessage: `Your API key ${authorization} is not valid.` },
            },
          ],
        });
      }
      const failure = linear.failures.shift();
      if (failure === "ratelimited") {
        return respond(res, 400, { errors: [{ message: "Rate limit exceeded", extensions: { code: "RATELIMITED" } }] }, { "x-ratelimit-requests-reset": String(Date.now() + 1500) });
      }
      if (failure === "ratelimited-429") return respond(res, 429, { errors: [{ message: "Too many requests", extensions: { code: "RATELIMITED" } }] }, { "retry-after": "2" });
      if (failure === "500") {
        res.writeHead(500, { "content-type": "text/plain" });
        return res.end("Internal Server Error");
      }
      if (failure === "503") {
        res.writeHead(503, { "content-type": "text/html" });
        return res.end("<html><body>Service Unavailable</body></html>");
      }
      if (failure === "echo-key") {
        return respond(res, 400, { errors: [{ message: `Argument Validation Error for ${authorization}`, extensions: { type: "invalid input", code: "INVALID_INPUT", userError: true } }] });
      }
      const data = answer(linear, operation, variables);
      if (failure === "bad-page") delete (data as { issues: { pageInfo?: unknown } }).issues.pageInfo;
      respond(res, 200, { data });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  return { state: linear, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}
