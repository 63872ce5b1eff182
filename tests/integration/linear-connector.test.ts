// The Linear connector against a local fake of Linear's GraphQL API (tests/helpers/fake-linear.ts:
// Linear's shapes, the recorded faros issues), through the guarded fetch the server uses in production.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGuardedFetch } from "../../lib/connectors/http/outbound";
import { createLinearConnector, type LinearConfigInput, type LinearDeps } from "../../lib/connectors/linear";
import type { FetchedPage } from "../../lib/connectors/tracker";
import { AppError } from "../../lib/errors";
import { RECORDED_TEAM, recordedIssues, type CompletedIssue } from "../fixtures/linear/recorded";
import { collect, loopbackFetch } from "../helpers/connectors";
import { KEY, OTHER_TEAM, startFakeLinear } from "../helpers/fake-linear";

const guarded = loopbackFetch();

let fake: Awaited<ReturnType<typeof startFakeLinear>>;
let linear: typeof fake.state;
let apiUrl = "";

beforeAll(async () => {
  fake = await startFakeLinear();
  linear = fake.state;
  apiUrl = fake.url;
});

afterAll(() => fake?.close());

let waits: number[] = [];
beforeEach(() => {
  linear.reset();
  waits = [];
});

function connector(config: Partial<LinearConfigInput> = {}, deps: Partial<LinearDeps> = {}) {
  const input = { apiUrl, apiKey: KEY, teamKey: "DEV", ...config } as LinearConfigInput;
  return createLinearConnector(input, { fetch: guarded, wait: async (ms) => void waits.push(ms), pageSize: 4, ...deps });
}


const ids = (pages: FetchedPage[]) => pages.flatMap((p) => p.records.map((r) => r.id));
const recordedIds = () => recordedIssues().map((i) => i.id);

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("fetching pages of issues", () => {
  it("pages through every issue of the team once, histories and relations complete", async () => {
    const c = connector();
    const pages = await collect(c.fetchPages({ updatedSince: null }));
    expect(pages).toHaveLength(Math.ceil(11 / 4));
    expect(ids(pages)).toHaveLength(11);
    expect(new Set(ids(pages))).toEqual(new Set(recordedIds()));
    expect(pages.slice(0, -1).every((p) => p.cursor !== null)).toBe(true);
    expect(pages.at(-1)!.cursor).toBeNull();

    // Each page asked after the previous one's cursor, scoped by the team's resolved id.
    const issueCalls = linear.byOperation("LinearIssues");
    expect(issueCalls.map((r) => r.variables.after)).toEqual([null, ...pages.slice(0, -1).map((p) => (p.cursor as { after: string }).after)]);
    expect(issueCalls.every((r) => r.variables.filter?.team?.id?.eq === RECORDED_TEAM.id && r.variables.filter.updatedAt === undefined)).toBe(true);
    expect(linear.requests[0]!.operation).toBe("LinearTeam");
    expect(linear.requests.every((r) => r.authorization === KEY)).toBe(true);

    // DEV-1 has three history entries and two relations; the fake pages them by 2 and 1.
    const dev1 = pages.flatMap((p) => p.records).find((r) => (r.payload as { identifier: string }).identifier === "DEV-1")!;
    const payload = dev1.payload as CompletedIssue & { history: { nodes: unknown[] }; inverseRelations: { nodes: unknown[] } };
    expect(payload.history.nodes).toEqual(recordedIssues().find((i) => i.identifier === "DEV-1")!.history.nodes);
    expect(payload.inverseRelations.nodes).toHaveLength(2);
    expect(linear.byOperation("LinearIssueHistory").map((r) => r.variables)).toEqual([{ id: dev1.id, first: 100, after: "h:1" }]);
    expect(linear.byOperation("LinearIssueRelations").map((r) => r.variables.after)).toEqual(["r:0"]);
    expect(dev1.updatedAt).toBe("2022-06-21T08:50:55.462Z");

    const mapped = c.map(dev1.payload);
    expect(mapped.ok && mapped.item.transitions.map((t) => t.name)).toEqual(["Todo", "In Progress"]);
    expect(mapped.ok && mapped.item.blocks).toEqual([
      { start: "2022-06-17T09:00:00.000Z", end: "2022-06-19T09:00:00.000Z", reason: "blocked by DEV-3" },
      { start: "2022-06-18T09:00:00.000Z", end: null, reason: "blocked by DEV-11" },
    ]);
    for (const record of pages.flatMap((p) => p.records)) expect(c.map(record.payload).ok).toBe(true);
  });

  it("passes updatedSince through as an updatedAt filter", async () => {
    const since = new Date("2022-06-20T15:35:31.000Z");
    const pages = await collect(connector().fetchPages({ updatedSince: since }));
    const expected = recordedIssues().filter((i) => Date.parse(i.updatedAt) >= since.getTime());
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(11);
    expect(new Set(ids(pages))).toEqual(new Set(expected.map((i) => i.id)));
    expect(linear.byOperation("LinearIssues").every((r) => r.variables.filter?.updatedAt?.gte === since.toISOString())).toBe(true);
  });

  it("resumes from a returned cursor with only the pages still to come", async () => {
    const first = await collect(connector().fetchPages({ updatedSince: null }), 1);
    const cursor = JSON.parse(JSON.stringify(first[0]!.cursor)) as unknown;
    linear.requests = [];
    // A new process: the cursor's own filter wins over the options it is given.
    const rest = await collect(connector().fetchPages({ updatedSince: new Date("2030-01-01T00:00:00Z"), cursor }));
    expect(rest).toHaveLength(2);
    const seen = [...ids(first), ...ids(rest)];
    expect(seen).toHaveLength(11);
    expect(new Set(seen)).toEqual(new Set(recordedIds()));
    const resumed = linear.byOperation("LinearIssues")[0]!;
    expect(resumed.variables.after).toBe((cursor as { after: string }).after);
    expect(resumed.variables.filter?.updatedAt).toBeUndefined();
  });

  it("refuses a cursor it did not make", async () => {
    const error = await failure(collect(connector().fetchPages({ updatedSince: null, cursor: { page: 2 } })));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.details[0]!.where).toBe("cursor");
  });
});

describe("rate limits and failing servers", () => {
  it("waits out one RATELIMITED answer (HTTP 400) and goes on", async () => {
    linear.failures = ["ratelimited"];
    const pages = await collect(connector().fetchPages({ updatedSince: null }));
    expect(new Set(ids(pages))).toEqual(new Set(recordedIds()));
    expect(ids(pages)).toHaveLength(11);
    expect(waits).toHaveLength(1);
    // The reset header said 1.5 s from then.
    expect(waits[0]!).toBeGreaterThan(1000);
    expect(waits[0]!).toBeLessThanOrEqual(1500);
    expect(linear.byOperation("LinearTeam")).toHaveLength(2);
  });

  it("honours Retry-After on a 429", async () => {
    linear.failures = ["ratelimited-429"];
    expect(await connector().listIds()).toEqual(new Set(recordedIds()));
    expect(waits).toEqual([2000]);
  });

  it("retries a 500 once and goes on", async () => {
    const c = connector();
    await c.testConnection();
    linear.failures = ["500"];
    const pages = await collect(c.fetchPages({ updatedSince: null }));
    expect(ids(pages)).toHaveLength(11);
    expect(waits).toEqual([1000]);
    expect(linear.byOperation("LinearIssues")).toHaveLength(pages.length + 1);
  });

  it("backs off further on each 5xx in a row (503 from a proxy too)", async () => {
    linear.failures = ["503", "500", "503"];
    expect(await connector().listIds()).toEqual(new Set(recordedIds()));
    expect(waits).toEqual([1000, 2000, 4000]);
  });

  it("gives up after a bounded number of retries", async () => {
    const c = connector({}, { maxRetries: 2 });
    await c.testConnection();
    linear.requests = [];
    linear.failures = Array(10).fill("ratelimited");
    const error = await failure(collect(c.fetchPages({ updatedSince: null })));
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.message).toMatch(/rate-limiting/);
    expect(linear.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it("names the field when an answer is not Linear's shape", async () => {
    const c = connector();
    await c.testConnection();
    linear.failures = ["bad-page"];
    const error = await failure(collect(c.fetchPages({ updatedSince: null })));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.details[0]!.where).toBe("issues.pageInfo");
  });
});

describe("the API key", () => {
  it("refused (401): the error says so without the key, and is not retried", async () => {
    const wrong = "lin_api_Wr0ngK3y9876543210zyxwvuSECRET";
    const c = connector({ apiKey: wrong });
    for (const attempt of [() => c.testConnection(), () => c.listIds(), () => collect(c.fetchPages({ updatedSince: null }))]) {
      const error = await failure(attempt());
      expect(error.code).toBe("SOURCE_FAILED");
      expect(error.message).toMatch(/refused the API key/);
      expect(error.details).toEqual([{ where: "apiKey", message: "refused by Linear" }]);
      for (const text of [error.message, JSON.stringify(error), JSON.stringify(error.details), String(error.stack)]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(KEY);
      }
    }
    expect(linear.requests).toHaveLength(3);
    expect(linear.requests[0]!.authorization).toBe(wrong);
    expect(waits).toEqual([]);
  });

  it("is redacted from an error message Linear echoes it in", async () => {
    linear.failures = ["echo-key"];
    const error = await failure(connector().testConnection());
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.message).toContain("Argument Validation Error");
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(KEY);
  });
});

describe("the team's statuses and ids", () => {
  it("lists the team's workflow states with suggested categories, page by page", async () => {
    const statuses = await connector().listStatuses();
    expect(statuses.map((s) => [s.id, s.suggested, s.discarded ?? false])).toEqual([
      ["dev-state-0", "todo", false],
      ["dev-state-1", "todo", false],
      ["dev-state-2", "todo", false],
      ["dev-state-3", "in_progress", false],
      ["dev-state-4", "done", false],
      ["dev-state-5", "done", true],
    ]);
    expect(linear.byOperation("LinearWorkflowStates")).toHaveLength(2);
  });

  it("lists every issue id now; an archived issue or one moved to another team drops out", async () => {
    const c = connector();
    expect(await c.listIds()).toEqual(new Set(recordedIds()));
    expect(linear.byOperation("LinearIssueIds").length).toBe(Math.ceil(11 / linear.idsCap));
    const archived = linear.issues.find((s) => s.issue.identifier === "DEV-5")!;
    const moved = linear.issues.find((s) => s.issue.identifier === "DEV-7")!;
    archived.archived = true;
    moved.teamId = OTHER_TEAM.id;
    const now = await c.listIds();
    expect(now.size).toBe(9);
    expect(now.has(archived.issue.id)).toBe(false);
    expect(now.has(moved.issue.id)).toBe(false);
    expect(new Set([...now, archived.issue.id, moved.issue.id])).toEqual(new Set(recordedIds()));
  });

  it("says which team, and refuses one Linear does not have rather than listing nothing", async () => {
    expect((await connector().testConnection()).description).toBe(`Linear team DEV (${RECORDED_TEAM.name}), read as Kelvin Tran`);
    expect((await connector({ teamKey: undefined, teamId: RECORDED_TEAM.id }).listIds()).size).toBe(11);
    const error = await failure(connector({ teamKey: "GONE" }).listIds());
    expect(error.code).toBe("SOURCE_FAILED");
    expect(error.details[0]!.where).toBe("teamKey");
    expect(linear.byOperation("LinearIssueIds").every((r) => r.variables.filter?.team?.id?.eq === RECORDED_TEAM.id)).toBe(true);
  });
});

describe("configuration and the outbound guard", () => {
  it("sends every request through the injected fetch: a policy that refuses loopback stops it", async () => {
    const closed = createGuardedFetch({ allow: [], maxBytes: 1024 * 1024, timeoutMs: 5_000 });
    const error = await failure(connector({}, { fetch: closed }).testConnection());
    expect(error.code).toBe("SOURCE_REFUSED");
    expect(linear.requests).toHaveLength(0);
  });

  it("refuses a configuration naming the field", () => {
    const refused = (config: Partial<LinearConfigInput>) => {
      try {
        connector(config);
      } catch (e) {
        return e as AppError;
      }
      throw new Error("accepted");
    };
    expect(refused({ apiKey: "" })).toMatchObject({ code: "INVALID_INPUT", details: [{ where: "apiKey" }] });
    expect(refused({ teamId: "x" })).toMatchObject({ code: "INVALID_INPUT", details: [{ where: "teamKey" }] });
    expect(refused({ milestones: "epic" as never })).toMatchObject({ code: "INVALID_INPUT", details: [{ where: "milestones" }] });
    // Plain http only to this machine (the SDK's own rule): never to a host on the network.
    expect(refused({ apiUrl: "http://linear.example.com/graphql" })).toMatchObject({ code: "INVALID_INPUT", details: [{ where: "apiUrl" }] });
  });
});
