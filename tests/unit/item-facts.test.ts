import { describe, expect, it } from "vitest";
import { deriveTransitionFacts, factAt } from "../../lib/metrics/compute/item-facts";
import { workflowOf, type WorkflowStatus } from "../../lib/metrics/compute/workflow";

const workflow = workflowOf([
  { name: "Backlog", category: "todo", blocked: false, discarded: false },
  { name: "In Progress", category: "in_progress", blocked: false, discarded: false },
  { name: "Blocked", category: "in_progress", blocked: true, discarded: false },
  { name: "Review", category: "in_progress", blocked: false, discarded: false },
  { name: "Done", category: "done", blocked: false, discarded: false },
  { name: "Released", category: "done", blocked: false, discarded: false },
  { name: "Won't Do", category: "done", blocked: false, discarded: true },
] satisfies WorkflowStatus[]);

const t = (at: string, to: string) => ({ at: new Date(at), to });
const facts = (...ts: { at: Date; to: string }[]) => deriveTransitionFacts(ts, workflow);
const at = (f: ReturnType<typeof facts>, instant: string) => factAt(f, new Date(instant));
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

describe("started_at and finished_at (spec §2)", () => {
  it("starts when the item leaves its last todo status and finishes on entering done", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "Backlog"), t("2026-01-07T09:30:00Z", "In Progress"), t("2026-01-09T16:00:00Z", "Done"));
    const end = at(f, "2026-02-01T00:00:00Z")!;
    expect(iso(end.startedAt)).toBe("2026-01-07T09:30:00.000Z");
    expect(iso(end.finishedAt)).toBe("2026-01-09T16:00:00.000Z");
    expect(end.until).toBeNull();
    expect(f[0]!.until?.toISOString()).toBe("2026-01-07T09:30:00.000Z");
  });

  it("has no status before the first transition and no start while in todo", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "Backlog"), t("2026-01-07T09:30:00Z", "In Progress"));
    expect(at(f, "2026-01-05T08:59:59Z")).toBeNull();
    expect(at(f, "2026-01-06T00:00:00Z")!.startedAt).toBeNull();
    expect(at(f, "2026-01-06T00:00:00Z")!.finishedAt).toBeNull();
  });

  it("starts an item that skips in progress when it enters done", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "Backlog"), t("2026-01-06T10:00:00Z", "Done"));
    const end = at(f, "2026-01-07T00:00:00Z")!;
    expect(iso(end.startedAt)).toBe("2026-01-06T10:00:00.000Z");
    expect(iso(end.finishedAt)).toBe("2026-01-06T10:00:00.000Z");
  });

  it("starts an item never in todo at its first transition", () => {
    const f = facts(t("2026-01-05T09:00:00Z", "In Progress"), t("2026-01-06T10:00:00Z", "Review"));
    expect(iso(at(f, "2026-01-07T00:00:00Z")!.startedAt)).toBe("2026-01-05T09:00:00.000Z");
  });

  it("erases the earlier start when the item moves back to todo", () => {
    const f = facts(
      t("2026-01-01T09:00:00Z", "Backlog"),
      t("2026-01-02T09:00:00Z", "In Progress"),
      t("2026-01-03T09:00:00Z", "Backlog"),
      t("2026-01-10T09:00:00Z", "Review"),
      t("2026-01-11T09:00:00Z", "Done"),
    );
    expect(at(f, "2026-01-05T00:00:00Z")!.startedAt).toBeNull();
    expect(iso(at(f, "2026-01-12T00:00:00Z")!.startedAt)).toBe("2026-01-10T09:00:00.000Z");
  });

  it("keeps the start when a done item is reopened, and is not finished until done again", () => {
    const f = facts(
      t("2026-01-01T09:00:00Z", "Backlog"),
      t("2026-01-02T09:00:00Z", "In Progress"),
      t("2026-01-04T09:00:00Z", "Done"),
      t("2026-01-05T09:00:00Z", "In Progress"),
      t("2026-01-08T09:00:00Z", "Done"),
    );
    const reopened = at(f, "2026-01-06T00:00:00Z")!;
    expect(reopened.finishedAt).toBeNull();
    expect(iso(reopened.startedAt)).toBe("2026-01-02T09:00:00.000Z");
    const end = at(f, "2026-01-09T00:00:00Z")!;
    expect(iso(end.startedAt)).toBe("2026-01-02T09:00:00.000Z");
    expect(iso(end.finishedAt)).toBe("2026-01-08T09:00:00.000Z");
  });

  it("keeps the finish on a move between done statuses (v1.1: Done → Released; v1 moved it to Released)", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Done"), t("2026-01-06T09:00:00Z", "Released"));
    expect(iso(at(f, "2026-01-05T00:00:00Z")!.finishedAt)).toBe("2026-01-04T09:00:00.000Z");
    expect(iso(at(f, "2026-01-07T00:00:00Z")!.finishedAt)).toBe("2026-01-04T09:00:00.000Z");
    expect(at(f, "2026-01-07T00:00:00Z")!.status).toBe("Released");
  });

  it("keeps the finish of Won't Do → Done, and the item is no longer discarded", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Won't Do"), t("2026-01-06T09:00:00Z", "Done"));
    expect(at(f, "2026-01-05T00:00:00Z")!.discarded).toBe(true);
    const end = at(f, "2026-01-07T00:00:00Z")!;
    expect(iso(end.finishedAt)).toBe("2026-01-04T09:00:00.000Z");
    expect(end.discarded).toBe(false);
  });

  it("gives a reopened item a new finish when it is done again, kept through later done moves", () => {
    const f = facts(
      t("2026-01-02T09:00:00Z", "In Progress"),
      t("2026-01-03T09:00:00Z", "Done"),
      t("2026-01-04T09:00:00Z", "Released"),
      t("2026-01-05T09:00:00Z", "Review"),
      t("2026-01-07T09:00:00Z", "Done"),
      t("2026-01-08T09:00:00Z", "Released"),
    );
    expect(iso(at(f, "2026-01-04T12:00:00Z")!.finishedAt)).toBe("2026-01-03T09:00:00.000Z");
    expect(at(f, "2026-01-06T00:00:00Z")!.finishedAt).toBeNull();
    expect(iso(at(f, "2026-01-09T00:00:00Z")!.finishedAt)).toBe("2026-01-07T09:00:00.000Z");
  });

  it("marks an item finished in a discarded status as discarded", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-04T09:00:00Z", "Won't Do"));
    const end = at(f, "2026-01-05T00:00:00Z")!;
    expect(end.discarded).toBe(true);
    expect(end.finishedAt).not.toBeNull();
  });

  it("applies transitions with equal instants in the order given", () => {
    const f = facts(t("2026-01-02T09:00:00Z", "Backlog"), t("2026-01-02T09:00:00Z", "In Progress"), t("2026-01-01T09:00:00Z", "Backlog"));
    expect(f.map((x) => x.status)).toEqual(["Backlog", "Backlog", "In Progress"]);
    expect(f[1]!.until?.getTime()).toBe(f[1]!.at.getTime());
    expect(at(f, "2026-01-02T09:00:00Z")!.status).toBe("In Progress");
    expect(iso(at(f, "2026-01-02T09:00:00Z")!.startedAt)).toBe("2026-01-02T09:00:00.000Z");
  });

  it("refuses a status the workflow does not map", () => {
    expect(() => facts(t("2026-01-02T09:00:00Z", "Limbo"))).toThrow(/Limbo/);
  });
});
