// The Jira client's pure parts: the incremental JQL (minute precision, the account's timezone), the
// user's JQL without its ORDER BY, and the wait before a retry.
import { describe, expect, it } from "vitest";
import { baseJql, jqlDateTime, retryDelay, searchJql, SINCE_MARGIN_MS, sinceLiteral } from "../../lib/connectors/jira/client";
import { AppError } from "../../lib/errors";

describe("the incremental JQL", () => {
  it("writes an instant in the account's zone, to the minute, rounded down", () => {
    const at = new Date("2021-12-14T00:30:59.999Z");
    expect(jqlDateTime(at, "UTC")).toBe("2021-12-14 00:30");
    expect(jqlDateTime(at, "Asia/Shanghai")).toBe("2021-12-14 08:30");
    expect(jqlDateTime(at, "America/St_Johns")).toBe("2021-12-13 21:00");
    expect(jqlDateTime(new Date("2021-06-30T23:05:00Z"), "Europe/Berlin")).toBe("2021-07-01 01:05");
  });

  it("starts an hour before updatedSince, in the account's zone", () => {
    expect(SINCE_MARGIN_MS).toBe(3_600_000);
    expect(sinceLiteral(new Date("2021-12-14T00:30:15.272Z"), "Asia/Shanghai")).toBe("2021-12-14 07:30");
    // The night DST ends in Berlin, 02:00–03:00 happens twice: an hour back covers both readings.
    expect(sinceLiteral(new Date("2021-10-31T01:30:00Z"), "Europe/Berlin")).toBe("2021-10-31 02:30");
  });

  it("writes UTC and goes back a further 14 hours when the account's zone is unknown", () => {
    expect(sinceLiteral(new Date("2021-12-14T16:00:00Z"), null)).toBe("2021-12-14 01:00");
    expect(sinceLiteral(new Date("2021-12-14T16:00:00Z"), "Mars/Olympus")).toBe("2021-12-14 01:00");
  });

  it("wraps the user's JQL, ordered by update", () => {
    expect(searchJql("project = SP", "2021-12-14 07:30")).toBe('(project = SP) AND updated >= "2021-12-14 07:30" ORDER BY updated ASC');
    expect(searchJql("project = SP OR labels = x", null)).toBe("(project = SP OR labels = x) ORDER BY updated ASC");
  });

  it("drops the user's ORDER BY, but not one inside quotes", () => {
    expect(baseJql("project = SP ORDER BY Rank ASC")).toBe("project = SP");
    expect(baseJql("project = SP order  by created")).toBe("project = SP");
    expect(baseJql('summary ~ "order by" AND project = SP')).toBe('summary ~ "order by" AND project = SP');
    expect(baseJql("summary ~ 'it\\'s order by' ORDER BY key")).toBe("summary ~ 'it\\'s order by'");
    expect(baseJql("(project = SP)ORDER BY key")).toBe("(project = SP)");
    expect(baseJql("reorder = 1")).toBe("reorder = 1");
  });

  it("refuses a JQL that is only an ORDER BY, naming the jql", () => {
    try {
      baseJql("ORDER BY rank");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "INVALID_INPUT", details: [{ where: "jql" }] });
    }
  });
});

describe("the wait before a retry", () => {
  it("honours Retry-After in seconds or as a date, and caps it", () => {
    expect(retryDelay("1", 0)).toBe(1000);
    expect(retryDelay("7", 3)).toBe(7000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryDelay("Thu, 01 Jan 2026 00:00:05 GMT", 0, now)).toBe(5000);
    expect(retryDelay("Wed, 31 Dec 2025 23:00:00 GMT", 0, now)).toBe(0);
    expect(retryDelay("86400", 0)).toBe(60_000);
  });

  it("doubles without Retry-After", () => {
    expect([0, 1, 2, 3].map((attempt) => retryDelay(null, attempt))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay("soon", 1)).toBe(2000);
  });
});
