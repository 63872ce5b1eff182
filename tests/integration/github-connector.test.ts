// The GitHub connector (Octokit with its throttling and retry plugins) through the guarded fetch
// against a local fake GitHub (tests/fixtures/github/fake-github.ts) that answers with the
// recorded issues and events, in GitHub's paging format, and injects the failures GitHub has.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createGitHubConnector, mapGitHubIssue, type GitHubSourceConfig } from "../../lib/connectors/github";
import { createGuardedFetch } from "../../lib/connectors/http/outbound";
import type { FetchedPage } from "../../lib/connectors/tracker";
import { devlakeIssue, OWNER, RECORDED_PAGES, RECORDED_REPO, REPO, startFakeGitHub, TOKEN } from "../fixtures/github/fake-github";
import { collect, loopbackFetch, rejection } from "../helpers/connectors";

/* eslint-disable @typescript-eslint/no-explicit-any */
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
beforeEach(() => github.reset());

const guarded = loopbackFetch();
const SECONDARY = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
};

function connector(waits: number[] = [], settings: Partial<GitHubSourceConfig> = {}, fetch: typeof globalThis.fetch = guarded) {
  return createGitHubConnector(
    { baseUrl: `${github.url}/`, token: TOKEN, owner: OWNER, repo: REPO, ...settings },
    { fetch, wait: async (ms) => void waits.push(ms), pageSize: 3 },
  );
}



const numbers = (pages: FetchedPage[]) => pages.map((p) => p.records.map((r) => (r.payload as any).issue.number));
const issueRequests = () => github.state.log.filter((l) => l.path === `/repos/${OWNER}/${REPO}/issues`);
const eventRequests = () => github.state.log.filter((l) => l.path.endsWith("/events"));
const byUpdate = () => [...github.state.issues].filter((i) => !i.pull_request).sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.number - b.number);
const PAGINATE = Array.from({ length: 13 }, (_, i) => i + 1);

describe("the fake GitHub", () => {
  it("pages the recorded issues exactly as GitHub did, Link headers included", async () => {
    // Replays the recorded scenario's requests (open issues, newest first, 3 a page).
    const onlyPaginate = github.state.issues.filter((i) => PAGINATE.includes(i.number));
    github.state.issues = onlyPaginate;
    for (const recorded of RECORDED_PAGES) {
      const response = await guarded(`${github.url}${recorded.path}`, { headers: { authorization: `token ${TOKEN}` } });
      const body = (await response.json()) as any[];
      expect(body.map((i) => i.number)).toEqual(recorded.issues.map((i) => i.number));
      expect(response.headers.get("link")).toBe(recorded.link.replaceAll("https://api.github.com", github.url));
    }
  });
});

describe("the GitHub connector against a fake GitHub", () => {
  it("tests the connection with one call and lists the fixed statuses", async () => {
    const c = connector();
    expect(await c.testConnection()).toEqual({ description: `GitHub repository ${RECORDED_REPO.full_name} (public) on 127.0.0.1:${new URL(github.url).port}` });
    expect(github.state.log.map((l) => l.path)).toEqual([`/repos/${OWNER}/${REPO}`]);
    expect((await c.listStatuses()).map((s) => [s.id, s.suggested, s.discarded ?? false])).toEqual([
      ["open", "todo", false],
      ["in_progress", "in_progress", false],
      ["closed", "done", false],
      ["not_planned", "done", true],
      ["duplicate", "done", true],
    ]);
  });

  it("pages every issue of every state once, oldest update first, each with its whole events list, and leaves out the pull request", async () => {
    const pages = await collect(connector().fetchPages({ updatedSince: null }));
    const all = numbers(pages).flat();
    expect(all).toEqual(byUpdate().map((i) => i.number));
    expect(all).toEqual([220, 226, ...PAGINATE]);
    expect(new Set(all).size).toBe(all.length);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.at(-1)!.cursor).toBeNull();
    expect(pages.slice(0, -1).every((p) => p.cursor !== null)).toBe(true);

    // What was asked: every state, by update, ascending, our page size, the API version, the token.
    for (const request of issueRequests()) {
      expect(Object.fromEntries(["state", "sort", "direction", "per_page"].map((k) => [k, request.query.get(k)]))).toEqual({ state: "all", sort: "updated", direction: "asc", per_page: "3" });
      expect(request.authorization).toBe(`token ${TOKEN}`);
      expect(request.apiVersion).toBe("2022-11-28");
    }
    // Each next request starts from the last update seen (GitHub's since is inclusive).
    expect(issueRequests()[0]!.query.has("since")).toBe(false);
    expect(issueRequests()[1]!.query.get("since")).toBe(devlakeIssue(226).issue.updated_at);

    // #220's 5 events came over two pages; the pull request's events were never asked for.
    expect(eventRequests().filter((l) => l.path.endsWith("/220/events")).map((l) => l.query.get("page"))).toEqual(["1", "2"]);
    expect(eventRequests().some((l) => l.path.endsWith("/206/events"))).toBe(false);
    const r220 = pages.flatMap((p) => p.records).find((r) => (r.payload as any).issue.number === 220)!;
    const recorded = devlakeIssue(220);
    expect(r220.id).toBe(String(recorded.issue.id));
    expect(r220.updatedAt).toBe(recorded.issue.updated_at);
    expect((r220.payload as any).events.map((e: any) => e.id)).toEqual(recorded.events.map((e) => e.id));
    const mapConfig = { repo: REPO, inProgress: { label: null, assignment: true }, blockerLabels: ["waiting for response"] };
    expect(mapGitHubIssue(r220.payload, mapConfig)).toEqual(mapGitHubIssue(recorded, mapConfig));
    expect(connector([], { blockerLabels: ["waiting for response"] }).map(r220.payload)).toEqual(mapGitHubIssue(recorded, mapConfig));
  });

  it("misses no issue when one already fetched is updated while paging, and moves on by page number when a whole page shares one updated_at", async () => {
    for (const n of [3, 4, 5, 6, 7]) github.state.issues.find((i) => i.number === n).updated_at = "2022-07-19T04:38:55Z";
    const pages: FetchedPage[] = [];
    for await (const page of connector().fetchPages({ updatedSince: null })) {
      pages.push(page);
      // #220, fetched on page 1, is updated: it moves to the end, and every later issue one place
      // up, so asking for page 2 would never show #1.
      if (pages.length === 1) github.state.issues.find((i) => i.number === 220).updated_at = "2022-07-19T05:00:00Z";
    }
    const all = numbers(pages).flat();
    expect(all).toEqual([220, 226, ...PAGINATE, 220]);
    expect(pages.flatMap((p) => p.records).at(-1)!.updatedAt).toBe("2022-07-19T05:00:00Z");
    expect(pages.some((p) => (p.cursor as any)?.page === 2)).toBe(true);
  });

  it("fetches only issues updated since (passed to GitHub to the second)", async () => {
    const since = new Date(Date.parse("2022-07-19T04:38:52Z") + 400);
    const pages = await collect(connector().fetchPages({ updatedSince: since }));
    expect(issueRequests()[0]!.query.get("since")).toBe("2022-07-19T04:38:52Z");
    expect(numbers(pages).flat()).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it("resumes from a returned cursor with the remaining pages only", async () => {
    const first = await collect(connector().fetchPages({ updatedSince: null }));
    const stored = JSON.parse(JSON.stringify(first[1]!.cursor));
    github.state.log = [];
    const resumed = await collect(connector().fetchPages({ updatedSince: new Date("2030-01-01T00:00:00Z"), cursor: stored }));
    expect(numbers(resumed)).toEqual(numbers(first).slice(2));
    expect(issueRequests()[0]!.query.get("since")).toBe(stored.since);
    // The issue at the boundary comes back from GitHub but is not yielded again, nor its events fetched.
    expect(eventRequests().length).toBe(numbers(resumed).flat().length);

    const bad = await rejection(collect(connector().fetchPages({ updatedSince: null, cursor: { page: 0 } })));
    expect(bad.code).toBe("INVALID_INPUT");
    expect(bad.details.map((d) => d.where)).toEqual(["cursor.since", "cursor.page", "cursor.seen"]);
  });

  it("lists the ids of every issue now (no pull requests), and no longer holds one removed", async () => {
    const c = connector();
    const ids = () => new Set(github.state.issues.filter((i) => !i.pull_request).map((i) => String(i.id)));
    expect(await c.listIds()).toEqual(ids());
    expect((await c.listIds()).size).toBe(15);
    expect(issueRequests().every((l) => l.query.get("state") === "all" && l.query.get("sort") === "created")).toBe(true);

    const removed = github.state.issues.find((i) => i.number === 5);
    github.state.issues = github.state.issues.filter((i) => i !== removed);
    const after = await c.listIds();
    expect(after.has(String(removed.id))).toBe(false);
    expect(after).toEqual(ids());
    expect(after.size).toBe(14);
  });

  it("rides out a secondary rate limit (429, Retry-After: 1) and a primary one (403, x-ratelimit-remaining: 0) through the throttling plugin", async () => {
    github.state.failures.push(
      { path: /\/issues$/, when: (q) => q.has("since"), status: 429, headers: { "retry-after": "1" }, body: SECONDARY, times: 1 },
      {
        path: /\/226\/events$/,
        status: 403,
        headers: () => ({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 2) }),
        body: { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
        times: 1,
      },
    );
    const waits: number[] = [];
    const pages = await collect(connector(waits).fetchPages({ updatedSince: null }));
    expect(numbers(pages).flat()).toEqual([220, 226, ...PAGINATE]);
    // The primary limit waits until its reset (plus a second, as GitHub advises); then the secondary one's Retry-After.
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(4000);
    expect(waits[1]).toBe(1000);
    const statuses = github.state.log.map((l) => `${l.status} ${l.path.replace(`/repos/${OWNER}/${REPO}`, "")}${l.query.has("since") ? " since" : ""}`);
    expect(statuses).toContain("403 /issues/226/events");
    expect(statuses[statuses.indexOf("403 /issues/226/events") + 1]).toBe("200 /issues/226/events");
    expect(statuses[statuses.indexOf("429 /issues since") + 1]).toBe("200 /issues since");
  });

  it("retries a 500 after a backoff, and gives up after 3 retries of a lasting 502", async () => {
    github.state.failures.push({ path: /\/220\/events$/, when: (q) => q.get("page") === "2", status: 500, times: 1 });
    const waits: number[] = [];
    const pages = await collect(connector(waits).fetchPages({ updatedSince: null }));
    expect(numbers(pages).flat()).toEqual([220, 226, ...PAGINATE]);
    expect(waits).toEqual([1000]);
    const e220 = eventRequests().filter((l) => l.path.endsWith("/220/events")).map((l) => `${l.status} p${l.query.get("page")}`);
    expect(e220).toEqual(["200 p1", "500 p2", "200 p2"]);

    github.reset();
    github.state.failures.push({ path: /\/issues$/, status: 502, body: { message: "Server Error" }, times: 99 });
    const lasting: number[] = [];
    const error = await rejection(collect(connector(lasting).fetchPages({ updatedSince: null })));
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.message).toContain("answered 502 to the issues, 4 times in a row");
    expect(lasting).toEqual([1000, 2000, 4000]);
    expect(issueRequests()).toHaveLength(4);
  });

  it("gives up on a rate limit that lasts, or whose reset is too far off to wait for", async () => {
    github.state.failures.push({ path: /\/issues$/, status: 429, headers: { "retry-after": "1" }, body: SECONDARY, times: 99 });
    const waits: number[] = [];
    const lasting = await rejection(collect(connector(waits).fetchPages({ updatedSince: null })));
    expect(lasting.code).toBe("SOURCE_FAILED");
    expect(lasting.message).toMatch(/still rate-limiting this token after 4 tries/);
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(issueRequests()).toHaveLength(4);

    github.reset();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    github.state.failures.push({ path: /\/issues$/, status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) }, body: { message: "API rate limit exceeded" }, times: 99 });
    const spent: number[] = [];
    const quota = await rejection(connector(spent).listIds());
    expect(quota.message).toContain(`rate limit is used up until ${new Date(reset * 1000).toISOString()}`);
    expect(spent).toEqual([]);
    expect(issueRequests()).toHaveLength(1);

    // A 429 with neither of GitHub's rate-limit signs is no rate limit the plugin knows: not retried.
    github.reset();
    github.state.failures.push({ path: /\/issues$/, status: 429, body: { message: "Too Many Requests" }, times: 99 });
    const bare: number[] = [];
    const tooMany = await rejection(connector(bare).listIds());
    expect(tooMany.message).toContain("answered 429 to the issues: too many requests; try again later: Too Many Requests");
    expect(bare).toEqual([]);
    expect(issueRequests()).toHaveLength(1);
  });

  it("never repeats the token: a refused token (401), even one GitHub echoes, fails at once naming the setting, and nothing is logged", async () => {
    const logged: unknown[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation((...args) => void logged.push(args)));
    github.state.failures.push({ path: /./, status: 401, body: { message: `Bad credentials: token ${TOKEN} was revoked`, documentation_url: "https://docs.github.com/rest" }, times: 99 });
    const errors = [await rejection(connector().testConnection()), await rejection(collect(connector().fetchPages({ updatedSince: null }))), await rejection(connector().listIds())];
    spies.forEach((s) => s.mockRestore());
    expect(logged).toEqual([]);
    for (const error of errors) {
      expect(error.code).toBe("SOURCE_FAILED");
      expect(error.message).toContain("answered 401");
      expect(error.details).toEqual([{ where: "token", message: "refused by GitHub" }]);
      expect(JSON.stringify({ message: error.message, details: error.details, stack: error.stack })).not.toContain(TOKEN);
    }
    expect(github.state.log).toHaveLength(3);

    // A 403 quotes GitHub's reason (here SAML enforcement), with the token cut out of it.
    github.reset();
    const saml = `Resource protected by organization SAML enforcement. You must grant your Personal Access token ${TOKEN} access to this organization.`;
    github.state.failures.push({ path: /./, status: 403, body: { message: saml, documentation_url: "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/" }, times: 1 });
    const forbidden = await rejection(connector().testConnection());
    expect(forbidden.message).toContain(`answered 403 to the repository: the token may not read ${OWNER}/${REPO}: Resource protected by organization SAML enforcement.`);
    expect(forbidden.message).toContain("Personal Access token [redacted] access");
    expect(forbidden.message).not.toContain(TOKEN);

    github.reset();
    const wrong = "ghp_WrongTokenThatMustNotLeak000000000000";
    const refused = await rejection(connector([], { token: wrong }).testConnection());
    expect(refused.message).toContain("answered 401");
    expect(refused.message).not.toContain(wrong);
    expect(github.state.log[0]!.authorization).toBe(`token ${wrong}`);
  });

  it("names the repository when it is not there, refuses settings without echoing them, and reports a malformed answer by its field", async () => {
    const missing = await rejection(connector([], { repo: "no-such-repo" }).testConnection());
    expect(missing.message).toContain(`there is no repository ${OWNER}/no-such-repo`);
    expect(missing.details).toEqual([{ where: "repo", message: "not found on GitHub" }]);

    // A key the settings do not know (here the old name of the project setting) is refused, by name, first.
    const settings = await rejection(Promise.resolve().then(() => connector([], { baseUrl: "ftp://example.com", inProgress: { projectStatusField: "Status" } as never })));
    expect(settings.code).toBe("INVALID_INPUT");
    expect(settings.details).toEqual([
      { where: "inProgress", message: 'Unrecognized key: "projectStatusField"' },
      { where: "baseUrl", message: expect.any(String) },
    ]);
    expect(settings.message).not.toContain(TOKEN);

    const broken = structuredClone(github.state.issues[0]);
    delete broken.updated_at;
    github.state.failures.push({ path: /\/issues$/, status: 200, body: [broken], times: 1 });
    const shape = await rejection(collect(connector().fetchPages({ updatedSince: null })));
    expect(shape.code).toBe("INVALID_INPUT");
    expect(shape.details[0]!.where).toBe("the issues: [0].updated_at");
  });

  it("keeps the guard's size cap, whether the answer declares its length or not, and does not retry it", async () => {
    const small = createGuardedFetch({ allow: ["127.0.0.1"], maxBytes: 4 * 1024, timeoutMs: 10_000 });
    const waits: number[] = [];
    const declared = await rejection(collect(connector(waits, {}, small).fetchPages({ updatedSince: null })));
    expect(declared.code).toBe("TOO_LARGE");
    github.state.failures.push({ path: /\/issues$/, status: 200, body: github.state.issues, chunked: true, times: 1 });
    const streamed = await rejection(collect(connector(waits, {}, small).fetchPages({ updatedSince: null })));
    expect(streamed.code).toBe("TOO_LARGE");
    expect(waits).toEqual([]);
    expect(issueRequests()).toHaveLength(2);
  });

  it("keeps the guard's refusal: an address not allowed is refused once, not retried", async () => {
    const strict = createGuardedFetch({ allow: [], maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000 });
    const waits: number[] = [];
    const error = await rejection(connector(waits, {}, strict).testConnection());
    expect(error.code).toBe("SOURCE_REFUSED");
    expect(waits).toEqual([]);
    expect(github.state.log).toHaveLength(0);
  });
});
