// The GitHub connector with a Projects (v2) field as the status, against the fake GitHub: the
// GraphQL queries go through the same Octokit and guarded fetch as REST (auth, rate limits,
// retries), the project events are paged by cursor, and each payload carries its project history.
// Octokit's throttling spaces GraphQL requests a second apart, so these tests keep few issues.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubConnector, projectStatusId, type GitHubSourceConfig } from "../../lib/connectors/github";
import { createGuardedFetch } from "../../lib/connectors/http/outbound";
import { OWNER, PROJECT, REPO, startFakeGitHub, TOKEN } from "../fixtures/github/fake-github";
import { collect, loopbackFetch, rejection } from "../helpers/connectors";

/* eslint-disable @typescript-eslint/no-explicit-any */
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
beforeEach(() => {
  github.reset();
  // The issues with a project history, and one (#4) that is in no project.
  github.state.issues = github.state.issues.filter((i) => [1, 2, 3, 4, 220, 226].includes(i.number));
});

const guarded = loopbackFetch();
const project = { owner: PROJECT.owner, number: PROJECT.number };

function connector(waits: number[] = [], settings: Partial<GitHubSourceConfig> = {}, fetch: typeof globalThis.fetch = guarded) {
  return createGitHubConnector({ baseUrl: `${github.url}/`, token: TOKEN, owner: OWNER, repo: REPO, project, ...settings }, { fetch, wait: async (ms) => void waits.push(ms), pageSize: 3 });
}
const graphqlRequests = () => github.state.log.filter((l) => l.path === "/graphql");
const names = (record: any, c: ReturnType<typeof connector>) => {
  const result = c.map(record.payload);
  if (!result.ok) throw new Error(result.reason);
  return result.item.transitions.map((t) => [t.at, t.name]);
};

describe("the GitHub connector with a project's field as the status", () => {
  it("lists the field's options as statuses and names the project when testing the connection, by POST /graphql with the token", async () => {
    const c = connector();
    expect((await c.listStatuses()).map((s) => [s.id, s.suggested])).toEqual([
      ["open", "todo"],
      [projectStatusId("Todo"), "todo"],
      [projectStatusId("In Progress"), "in_progress"],
      [projectStatusId("In Review"), "in_progress"],
      [projectStatusId("Done"), "done"],
      [projectStatusId("Parked"), null],
      ["closed", "done"],
      ["not_planned", "done"],
      ["duplicate", "done"],
    ]);
    expect((await c.testConnection()).description).toMatch(/, statuses from the field "Status" of project "Flow board" \(5 options\)$/);
    const asked = graphqlRequests();
    expect(asked.map((l) => [l.method, l.operation, l.authorization])).toEqual([
      ["POST", "ThroughlineProject", `token ${TOKEN}`],
      ["POST", "ThroughlineProject", `token ${TOKEN}`],
    ]);
    expect(asked[0]!.variables).toEqual({ owner: PROJECT.owner, number: 7, field: "Status" });
    expect(asked[0]!.apiVersion).toBe("2022-11-28");
  });

  it("adds each issue's project items and every project event (two pages for #1) to its payload; the mapper reads them", async () => {
    const c = connector();
    const pages = await collect(c.fetchPages({ updatedSince: null }));
    const records = pages.flatMap((p) => p.records);
    const byNumber = new Map(records.map((r) => [(r.payload as any).issue.number, r]));
    expect([...byNumber.keys()]).toEqual([220, 226, 1, 2, 3, 4]);

    // One history query per page of issues (three: each page starts again from the last updated_at),
    // and one more for the second page of #1's events.
    const asked = graphqlRequests();
    expect(asked.map((l) => l.operation)).toEqual(["ThroughlineProjectHistory", "ThroughlineProjectEvents", "ThroughlineProjectHistory", "ThroughlineProjectHistory"]);
    expect(asked[0]!.variables).toEqual({ ids: [220, 226, 1].map((n) => github.state.issues.find((i) => i.number === n).node_id), field: "Status", first: 3 });
    expect(asked[1]!.variables).toMatchObject({ id: github.state.issues.find((i) => i.number === 1).node_id, first: 3, after: expect.any(String) });
    const one = (byNumber.get(1)!.payload as any).project;
    expect(one.timeline.map((e: any) => e.id)).toEqual(github.state.projectHistories.get(1).timelineItems.nodes.map((e: any) => e.id));
    expect((byNumber.get(4)!.payload as any).project).toEqual({ items: [], timeline: [] });

    expect(names(byNumber.get(1), c)).toEqual([
      ["2022-07-19T04:38:40Z", "No status"],
      ["2022-07-19T04:40:00Z", "Todo"],
      ["2022-07-19T05:00:00Z", "In Progress"],
      ["2022-07-19T06:00:00Z", "In Review"],
      ["2022-07-19T07:00:00Z", "In Progress"],
      ["2022-07-19T08:00:00Z", "In Review"],
    ]);
    expect(names(byNumber.get(2), c)).toEqual([
      ["2022-07-19T04:38:43Z", "No status"],
      ["2022-07-19T05:30:00Z", "Parked"],
    ]);
    expect(names(byNumber.get(3), c)).toEqual([
      ["2022-07-19T04:38:46Z", "No status"],
      ["2022-07-19T04:50:00Z", "In Progress"],
      ["2022-07-19T05:10:00Z", "No status"],
    ]);
    expect(names(byNumber.get(220), c)).toEqual([
      ["2022-04-21T01:11:58Z", "No status"],
      ["2022-04-22T09:00:00Z", "In Progress"],
      ["2022-05-07T11:29:32Z", "Closed"],
    ]);
  });

  it("rides out a secondary rate limit on /graphql (429, Retry-After) through the same throttling as REST", async () => {
    github.state.failures.push({
      path: /^\/graphql$/,
      status: 429,
      headers: { "retry-after": "2" },
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api" },
      times: 1,
    });
    const waits: number[] = [];
    expect(await connector(waits).listStatuses()).toHaveLength(9);
    expect(waits).toEqual([2000]);
    expect(graphqlRequests().map((l) => l.status)).toEqual([429, 200]);
  });

  it("names the setting when the project, its field or the token's scope does not fit", async () => {
    const number = await rejection(connector([], { project: { ...project, number: 9 } }).listStatuses());
    expect(number.code).toBe("SOURCE_FAILED");
    expect(number.message).toContain("Could not resolve to a ProjectV2 with the number 9.");
    expect(number.details).toEqual([{ where: "project", message: "not found on GitHub, or the token cannot see it" }]);

    const field = await rejection(connector([], { project: { ...project, field: "Stage" } }).testConnection());
    expect(field.details).toEqual([{ where: "project.field", message: "no such field in the project" }]);

    github.state.project.answer.field = { __typename: "ProjectV2Field", name: "Status" };
    const text = await rejection(connector().listStatuses());
    expect(text.details).toEqual([{ where: "project.field", message: "must be a single-select field" }]);

    // A classic token without read:project: GitHub answers 200 with an INSUFFICIENT_SCOPES error.
    github.state.failures.push({
      path: /^\/graphql$/,
      status: 200,
      body: { errors: [{ type: "INSUFFICIENT_SCOPES", locations: [{ line: 3, column: 5 }], message: "Your token has not been granted the required scopes to execute this query. The 'projectItems' field requires one of the following scopes: ['read:project'], but your token has only been granted the: ['repo'] scopes." }] },
      times: 1,
    });
    const scope = await rejection(collect(connector().fetchPages({ updatedSince: null })));
    expect(scope.code).toBe("SOURCE_FAILED");
    expect(scope.message).toContain("read:project");
    expect(scope.details).toEqual([{ where: "token", message: "may not read the project (read:project)" }]);
  });

  it("keeps the guard's refusal for GraphQL too: nothing is sent", async () => {
    const strict = createGuardedFetch({ allow: [], maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000 });
    const error = await rejection(connector([], {}, strict).listStatuses());
    expect(error.code).toBe("SOURCE_REFUSED");
    expect(github.state.log).toHaveLength(0);
  });

  it("refuses a label or assignment alongside a project, naming them, without echoing the token", async () => {
    const error = await rejection(Promise.resolve().then(() => connector([], { inProgress: { label: "doing" } })));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.details.map((d) => d.where)).toEqual(["inProgress.label"]);
    expect(error.message).not.toContain(TOKEN);
  });
});
