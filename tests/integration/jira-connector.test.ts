// The Jira connector through the guarded fetch against a local fake Jira Cloud. The fake answers
// with recorded payloads (tests/fixtures/jira/SOURCE.md), pages search/jql by nextPageToken and
// serves changelogs by startAt. It also injects the failures a real site has.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createJiraConnector, mapJiraIssue } from "../../lib/connectors/jira";
import type { FetchedPage } from "../../lib/connectors/tracker";
import { AppError } from "../../lib/errors";

/* eslint-disable @typescript-eslint/no-explicit-any */
import { basic, CONFIG_JQL, EMAIL, recordedIssues, startFakeJira, TOKEN, TRUNCATED } from "../helpers/fake-jira";
import { collect, loopbackFetch, rejection } from "../helpers/connectors";

let jira: Awaited<ReturnType<typeof startFakeJira>>;
beforeAll(async () => {
  jira = await startFakeJira();
});
afterAll(() => jira.close());
beforeEach(() => jira.reset());

const guarded = loopbackFetch();

function connector(waits: number[] = [], settings: Record<string, unknown> = {}) {
  return createJiraConnector(
    { siteUrl: `${jira.url}/`, email: EMAIL, apiToken: TOKEN, jql: CONFIG_JQL, milestones: "fixVersion", ...settings },
    { fetch: guarded, wait: async (ms) => void waits.push(ms) },
  );
}


const ids = (pages: FetchedPage[]) => pages.map((p) => p.records.map((r) => r.id));
const searches = () => jira.state.log.filter((l) => l.path === "/rest/api/3/search/jql");


describe("the Jira connector against a fake Jira Cloud", () => {
  it("says who it signed in as and how many issues match, and lists the site's statuses", async () => {
    const c = connector();
    expect(await c.testConnection()).toEqual({ description: `Signed in to ${new URL(jira.url).host} as Sync Bot: about 8 issues match project in (SP, EE, K5)` });
    const statuses = await c.listStatuses();
    expect(statuses).toHaveLength(53);
    expect(statuses.find((s) => s.id === "10068")).toEqual({ id: "10068", name: "已完成", suggested: "done" });
    expect(jira.state.log.every((l) => l.authorization === `Basic ${basic(EMAIL, TOKEN)}`)).toBe(true);
  });

  it("pages search/jql by nextPageToken, drops repeated issues, completes a truncated changelog and rides out a 429 and a 503", async () => {
    jira.state.failures.push(
      { path: `/rest/api/3/issue/${TRUNCATED}/changelog`, status: 503, times: 1 },
      { path: "/rest/api/3/search/jql", when: (q) => q.has("nextPageToken"), status: 429, headers: { "retry-after": "1" }, times: 1 },
    );
    const waits: number[] = [];
    const pages = await collect(connector(waits).fetchPages({ updatedSince: null }));

    // In update order; page 2 held SP-10 twice, page 3 began with page 2's SP-1 again.
    expect(ids(pages)).toEqual([
      ["10087", "10063", "10066"],
      ["10017", "10012", "10008"],
      ["20708", "20710"],
    ]);
    expect(pages.map((p) => p.cursor)).toEqual([
      { nextPageToken: expect.any(String), updatedSince: null },
      { nextPageToken: expect.any(String), updatedSince: null },
      null,
    ]);

    // What was asked: the v3 endpoint with our fields, changelogs, 100 a page; never the removed v2 search.
    for (const s of searches()) {
      expect(s.query.get("jql")).toBe("(project in (SP, EE, K5)) ORDER BY updated ASC");
      expect(s.query.get("fields")?.split(",").sort()).toEqual(["created", "customfield_10021", "fixVersions", "issuetype", "parent", "status", "summary", "updated"]);
      expect(s.query.get("expand")).toBe("changelog");
      expect(s.query.get("maxResults")).toBe("100");
    }
    expect(jira.state.log.some((l) => l.path === "/rest/api/2/search")).toBe(false);
    const v2 = await guarded(`${jira.url}/rest/api/2/search?jql=project%3DSP`, { headers: { authorization: `Basic ${basic(EMAIL, TOKEN)}` } });
    expect(v2.status).toBe(410);

    // The 503 and the 429 were each answered once and retried: a doubling backoff, then Retry-After: 1.
    const outcome = jira.state.log.map((l) => `${l.status} ${l.path}${l.query.has("nextPageToken") ? " +token" : ""}${l.query.has("startAt") ? ` @${l.query.get("startAt")}` : ""}`);
    expect(outcome.slice(0, 6)).toEqual([
      "200 /rest/api/3/search/jql",
      `503 /rest/api/3/issue/${TRUNCATED}/changelog @0`,
      `200 /rest/api/3/issue/${TRUNCATED}/changelog @0`,
      `200 /rest/api/3/issue/${TRUNCATED}/changelog @10`,
      `200 /rest/api/3/issue/${TRUNCATED}/changelog @20`,
      "429 /rest/api/3/search/jql +token",
    ]);
    expect(outcome[6]).toBe("200 /rest/api/3/search/jql +token");
    expect(waits).toEqual([1000, 1000]);

    // EE-1 came with 10 of its 25 histories; its payload holds all 25 and maps as the recording does.
    const recorded = recordedIssues().find((i) => i.id === TRUNCATED);
    const ee1 = pages[0]!.records[1]!;
    expect(ee1.updatedAt).toBe("2021-03-28T16:06:08.713+08:00");
    const payload = ee1.payload as any;
    expect(payload.changelog.histories).toHaveLength(25);
    expect(new Set(payload.changelog.histories.map((h: any) => h.id))).toEqual(new Set(recorded.changelog.histories.map((h: any) => h.id)));
    const config = { siteUrl: jira.url, milestones: "fixVersion" as const };
    expect(mapJiraIssue(payload, config)).toEqual(mapJiraIssue(recorded, config));
    // Only the truncated changelog was read again.
    expect(jira.state.log.filter((l) => l.path.endsWith("/changelog") && !l.path.includes(TRUNCATED))).toEqual([]);
  });

  it("resumes from a returned cursor with only the remaining pages", async () => {
    const first = await collect(connector().fetchPages({ updatedSince: null }));
    jira.state.log = [];
    const stored = JSON.parse(JSON.stringify(first[0]!.cursor));
    const resumed = await collect(connector().fetchPages({ updatedSince: null, cursor: stored }));
    expect(ids(resumed)).toEqual(ids(first).slice(1));
    expect(searches()[0]!.query.get("nextPageToken")).toBe(stored.nextPageToken);
    expect(searches().every((s) => s.query.has("nextPageToken"))).toBe(true);

    const bad = await rejection(collect(connector().fetchPages({ updatedSince: null, cursor: { page: 2 } })));
    expect(bad.code).toBe("INVALID_INPUT");
    expect(bad.details[0]?.where).toBe("cursor.nextPageToken");
  });

  it("fetches only issues updated since, from an hour before, in the account's timezone, and keeps that in the cursor", async () => {
    // SP-1 was updated 2021-12-14T00:30:15.272Z: an hour earlier is 07:30 in Shanghai.
    const pages = await collect(connector().fetchPages({ updatedSince: new Date("2021-12-14T00:30:15.272Z") }));
    expect(searches()[0]!.query.get("jql")).toBe('(project in (SP, EE, K5)) AND updated >= "2021-12-14 07:30" ORDER BY updated ASC');
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(["10008", "20708", "20710"]);
    expect(jira.state.log.filter((l) => l.path === "/rest/api/3/myself")).toHaveLength(1);

    jira.state.issues.get("10017").fields.updated = "2021-12-14T10:00:00.000+0800";
    jira.state.issues.get("10012").fields.updated = "2021-12-14T11:00:00.000+0800";
    const more = await collect(connector().fetchPages({ updatedSince: new Date("2021-12-14T00:30:15.272Z") }));
    expect(more[0]!.cursor).toEqual({ nextPageToken: expect.any(String), updatedSince: "2021-12-14 07:30" });
    jira.state.log = [];
    const resumed = await collect(connector().fetchPages({ updatedSince: null, cursor: more[0]!.cursor }));
    expect(searches()[0]!.query.get("jql")).toContain('updated >= "2021-12-14 07:30"');
    expect(ids(resumed)).toEqual(ids(more).slice(1));
  });

  it("lists the ids in scope, and no longer holds an issue deleted or moved to another project", async () => {
    const all = recordedIssues().map((i) => i.id);
    expect(await connector().listIds()).toEqual(new Set(all));
    const idRequests = searches();
    expect(idRequests.length).toBe(3);
    expect(idRequests.every((s) => s.query.get("fields") === "id" && s.query.get("maxResults") === "5000" && !s.query.has("expand"))).toBe(true);

    const moved = jira.state.issues.get("10012");
    moved.key = "OTHER-1";
    moved.fields.project.key = "OTHER";
    jira.state.issues.delete("20710");
    const now = await connector().listIds();
    expect(now).toEqual(new Set(all.filter((id) => id !== "10012" && id !== "20710")));
  });

  it("says a 401 without repeating the email or the API token", async () => {
    const email = "someone.private@example.org";
    const token = "ATATT-wrong-token-5b7e";
    const c = connector([], { email, apiToken: token });
    // The fake's 401 does repeat them, so the connector has something to leak.
    const raw = await guarded(`${jira.url}/rest/api/3/myself`, { headers: { authorization: `Basic ${basic(email, token)}` } });
    expect(raw.status).toBe(401);
    expect(await raw.text()).toContain(token);

    const errors = [
      await rejection(c.testConnection()),
      await rejection(c.listStatuses()),
      await rejection(c.listIds()),
      await rejection(collect(c.fetchPages({ updatedSince: null }))),
      await rejection(collect(c.fetchPages({ updatedSince: new Date("2022-01-01T00:00:00Z") }))),
    ];
    for (const error of errors) {
      expect(error.code).toBe("SOURCE_FAILED");
      expect(error.message).toMatch(/answered 401: Jira refused the email and API token/);
      const said = JSON.stringify({ message: error.message, details: error.details, stack: error.stack });
      for (const secret of [email, token, basic(email, token), "someone.private"]) expect(said).not.toContain(secret);
    }
  });

  it("quotes Jira's own error messages, with the credentials taken out", async () => {
    const body = { errorMessages: [`${EMAIL} may not browse projects`], errors: { auth: `token ${TOKEN} / ${basic(EMAIL, TOKEN)} lacks a permission` } };
    jira.state.failures.push({ path: "/rest/api/3/status", status: 403, body, times: 1 });
    const error = await rejection(connector().listStatuses());
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.message).toContain("answered 403");
    expect(error.message).toContain("[redacted] may not browse projects; auth: token [redacted] / [redacted] lacks a permission");
    for (const secret of [EMAIL, TOKEN, basic(EMAIL, TOKEN)]) expect(error.message).not.toContain(secret);
  });

  it("gives up after a bounded number of retries", async () => {
    jira.state.failures.push({ path: "/rest/api/3/status", status: 503, times: 100 });
    const waits: number[] = [];
    const error = await rejection(connector(waits).listStatuses());
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.message).toMatch(/\/rest\/api\/3\/status answered 503, 5 times/);
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(jira.state.log.filter((l) => l.path === "/rest/api/3/status")).toHaveLength(5);
  });

  it("refuses an answer in an unexpected shape, naming the field", async () => {
    jira.state.breakShape = true;
    const error = await rejection(collect(connector().fetchPages({ updatedSince: null })));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.details[0]?.where).toBe("GET /rest/api/3/search/jql: issues[0].fields.updated");
  });

  it("passes on Jira's word about a JQL it refuses, pointing at the jql", async () => {
    const error = await rejection(collect(connector([], { jql: "project = NOPE" }).fetchPages({ updatedSince: null })));
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.message).toMatch(/answered 400 \(check the jql\): Error in the JQL Query/);
    expect(error.details).toEqual([{ where: "jql", message: expect.stringContaining("Error in the JQL Query") }]);
  });

  it("refuses settings it cannot use, naming the field and never the token", () => {
    const attempt = (settings: Record<string, unknown>) => {
      try {
        connector([], settings);
      } catch (error) {
        return error as AppError;
      }
      throw new Error("expected a refusal");
    };
    expect(attempt({ siteUrl: "ftp://example.atlassian.net" }).details[0]?.where).toBe("siteUrl");
    expect(attempt({ siteUrl: "https://me:pw@example.atlassian.net" }).details[0]?.where).toBe("siteUrl");
    expect(attempt({ milestones: "sprint" }).details[0]?.where).toBe("milestones");
    const noEmail = attempt({ email: "not-an-email" });
    expect(noEmail.details[0]?.where).toBe("email");
    expect(JSON.stringify(noEmail)).not.toContain(TOKEN);
  });
});
