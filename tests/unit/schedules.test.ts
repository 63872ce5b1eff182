import { describe, expect, it } from "vitest";
import { isValidCron, nextRun } from "../../lib/jobs/schedules";

describe("import schedule cron", () => {
  it("accepts five-field cron expressions only", () => {
    expect(isValidCron("0 6 * * *")).toBe(true);
    expect(isValidCron("*/15 * * * 1-5")).toBe(true);
    expect(isValidCron("every day")).toBe(false);
    expect(isValidCron("0 0 6 * * *")).toBe(false);
    expect(isValidCron("61 * * * *")).toBe(false);
  });

  it("finds the next run in the schedule's timezone", () => {
    const from = new Date("2026-03-28T12:00:00Z");
    expect(nextRun("0 6 * * *", "UTC", from)?.toISOString()).toBe("2026-03-29T06:00:00.000Z");
    // 06:00 in Berlin is 05:00Z before the DST change and 04:00Z after it.
    expect(nextRun("0 6 * * *", "Europe/Berlin", from)?.toISOString()).toBe("2026-03-29T04:00:00.000Z");
  });
});
