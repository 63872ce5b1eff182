// Annotations on a team's timeline: who reads, adds, edits and deletes them, and what is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { importHistory } from "../../lib/ingest/history";
import { getTeamByKey } from "../../lib/db/queries/teams";
import { createAnnotation, deleteAnnotation, listAnnotations, listAnnotationsForTeam, updateAnnotation } from "../../lib/services/annotations";
import type { ServiceContext } from "../../lib/services/context";
import { getDashboard } from "../../lib/services/dashboard";
import { contextOf, makeUser, userActor } from "../helpers/accounts";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

const NOW = new Date("2026-04-01T00:00:00Z");

describe.each(engines())("annotations on $name", (engine) => {
  let database: Database;
  const team = uniqueKey("notes");
  const other = uniqueKey("elsewhere");
  let teamId = 0;
  let admin: ServiceContext;
  let member: ServiceContext;
  let secondMember: ServiceContext;
  let viewer: ServiceContext;
  let outsider: ServiceContext;
  let memberName = "";

  beforeAll(async () => {
    database = await engine.open();
    for (const key of [team, other]) await importHistory(database.db, sourceOf(historyDoc(key, "UTC", [{ key: "N-1", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }] }])));
    teamId = (await getTeamByKey(database.db, team))!.id;
    const as = async (role: "admin" | "member" | "viewer", teams?: string[]) => contextOf(database, await userActor(database, await makeUser(database, role, teams)), NOW);
    admin = await as("admin");
    const memberUser = await makeUser(database, "member", [team]);
    memberName = memberUser.name;
    member = contextOf(database, await userActor(database, memberUser), NOW);
    secondMember = await as("member", [team]);
    viewer = await as("viewer", [team]);
    outsider = await as("member", [other]);
  });
  afterAll(async () => database?.close());

  it("lists the annotations that touch the window, earliest first, with author and time", async () => {
    const early = await createAnnotation(member, team, { starts_on: "2026-02-01", label: "before the window" });
    const spanning = await createAnnotation(member, team, { starts_on: "2026-02-25", ends_on: "2026-03-02", label: "team split", note: "two teams from here" });
    const inside = await createAnnotation(admin, team, { starts_on: "2026-03-10", label: "incident" });
    const late = await createAnnotation(member, team, { starts_on: "2026-04-01", ends_on: "2026-04-03", label: "after the window" });
    await createAnnotation(admin, other, { starts_on: "2026-03-10", label: "another team's" });

    const listed = await listAnnotations(viewer, team, { from: "2026-03-01", to: "2026-03-31" });
    expect(listed.map((a) => a.label)).toEqual(["team split", "incident"]);
    expect(listed[0]).toEqual({
      id: spanning.id,
      starts_on: "2026-02-25",
      ends_on: "2026-03-02",
      label: "team split",
      note: "two teams from here",
      author: memberName,
      created_at: "2026-04-01T00:00:00Z",
      updated_at: "2026-04-01T00:00:00Z",
      editable: false,
    });
    // Windows include both ends: a one-day annotation on either edge is in.
    expect((await listAnnotations(member, team, { from: "2026-03-10", to: "2026-03-10" })).map((a) => a.id)).toEqual([inside.id]);
    expect((await listAnnotations(member, team, { from: "2026-03-02", to: "2026-03-02" })).map((a) => a.id)).toEqual([spanning.id]);
    expect((await listAnnotations(member, team, { from: "2026-01-01", to: "2026-12-31" })).map((a) => a.id)).toEqual([early.id, spanning.id, inside.id, late.id]);
    // For share links: the same rows, none editable.
    const shared = await listAnnotationsForTeam(database.db, teamId, "2026-03-01", "2026-03-31");
    expect(shared.map((a) => [a.label, a.editable])).toEqual([
      ["team split", false],
      ["incident", false],
    ]);
  });

  it("says who may edit each annotation: its author and admins", async () => {
    const window = { from: "2026-03-01", to: "2026-03-31" };
    const editable = async (ctx: ServiceContext) => Object.fromEntries((await listAnnotations(ctx, team, window)).map((a) => [a.label, a.editable]));
    expect(await editable(member)).toMatchObject({ "team split": true, incident: false });
    expect(await editable(secondMember)).toMatchObject({ "team split": false, incident: false });
    expect(await editable(admin)).toMatchObject({ "team split": true, incident: true });
    expect(await editable(viewer)).toMatchObject({ "team split": false, incident: false });
  });

  it("prefetches the window's annotations with the dashboard and says whether the reader may add some", async () => {
    const asMember = await getDashboard(member, team, { from: "2026-03-01", to: "2026-03-31" });
    expect(asMember.annotate).toBe(true);
    const query = asMember.state.queries.find((q) => q.queryKey[0] === "annotations");
    expect(query?.queryKey).toEqual(["annotations", team, { from: "2026-03-01", to: "2026-03-31" }]);
    expect((query?.state.data as { label: string }[]).map((a) => a.label)).toEqual(["team split", "incident"]);
    expect((await getDashboard(viewer, team, {})).annotate).toBe(false);
  });

  it("lets a member of the team add one; a single-day range is one day", async () => {
    const made = await createAnnotation(member, team, { starts_on: "2026-03-15", ends_on: "2026-03-15", label: "  pricing change  ", note: "" });
    expect(made).toMatchObject({ starts_on: "2026-03-15", ends_on: null, label: "pricing change", note: null, author: memberName, editable: true });
    // Admins annotate any team, the CLI too (with no author).
    expect((await createAnnotation(admin, other, { starts_on: "2026-03-15", label: "admin's" })).editable).toBe(true);
    expect((await createAnnotation(contextOf(database, SYSTEM, NOW), team, { starts_on: "2026-03-16", label: "from the CLI" })).author).toBeNull();
  });

  it("refuses a viewer (403) and a member of another team (404, as if the team did not exist)", async () => {
    await expect(createAnnotation(viewer, team, { starts_on: "2026-03-15", label: "x" })).rejects.toMatchObject({ status: 403, code: "FORBIDDEN" });
    await expect(createAnnotation(outsider, team, { starts_on: "2026-03-15", label: "x" })).rejects.toMatchObject({ status: 404, code: "TEAM_NOT_FOUND" });
    await expect(listAnnotations(outsider, team, { from: "2026-03-01", to: "2026-03-31" })).rejects.toMatchObject({ status: 404 });
    const mine = await createAnnotation(member, team, { starts_on: "2026-03-20", label: "not yours" });
    await expect(updateAnnotation(outsider, mine.id, { starts_on: "2026-03-20", label: "y" })).rejects.toMatchObject({ status: 404 });
    await expect(deleteAnnotation(outsider, mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(deleteAnnotation(viewer, mine.id)).rejects.toMatchObject({ status: 403 });
    await expect(deleteAnnotation(member, 999_999_999)).rejects.toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("lets its author edit it, not another member; an admin edits and deletes it", async () => {
    const made = await createAnnotation(member, team, { starts_on: "2026-03-05", label: "incident" });
    const later = contextOf(database, member.actor, new Date("2026-04-02T10:30:00Z"));
    const edited = await updateAnnotation(later, made.id, { starts_on: "2026-03-05", ends_on: "2026-03-07", label: "outage", note: "payments down" });
    expect(edited).toMatchObject({ id: made.id, starts_on: "2026-03-05", ends_on: "2026-03-07", label: "outage", note: "payments down", author: memberName });
    expect(edited.created_at).toBe("2026-04-01T00:00:00Z");
    expect(edited.updated_at).toBe("2026-04-02T10:30:00Z");

    await expect(updateAnnotation(secondMember, made.id, { starts_on: "2026-03-05", label: "mine now" })).rejects.toMatchObject({ status: 403 });
    await expect(deleteAnnotation(secondMember, made.id)).rejects.toMatchObject({ status: 403 });

    // The author is kept when an admin edits.
    expect(await updateAnnotation(admin, made.id, { starts_on: "2026-03-06", label: "outage (confirmed)" })).toMatchObject({ label: "outage (confirmed)", ends_on: null, note: null, author: memberName });
    await deleteAnnotation(admin, made.id);
    const left = await listAnnotations(admin, team, { from: "2026-03-01", to: "2026-03-31" });
    expect(left.map((a) => a.id)).not.toContain(made.id);
    await expect(deleteAnnotation(admin, made.id)).rejects.toMatchObject({ status: 404 });
  });

  it("names the field in every validation error", async () => {
    const refusal = async (input: Record<string, unknown>) => {
      try {
        await createAnnotation(member, team, input);
      } catch (error) {
        return error as { status: number; message: string; details: { where: string; message: string }[] };
      }
      throw new Error(`accepted ${JSON.stringify(input)}`);
    };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ starts_on: "2026-03-01", label: "" }, "label", /is required/],
      [{ starts_on: "2026-03-01", label: "   " }, "label", /is required/],
      [{ starts_on: "2026-03-01" }, "label", /is required/],
      [{ starts_on: "2026-03-01", label: "x".repeat(81) }, "label", /at most 80/],
      [{ starts_on: "2026-03-01", label: "ok", note: "n".repeat(2001) }, "note", /at most 2000/],
      [{ label: "ok" }, "starts_on", /is required/],
      [{ starts_on: "2026-02-30", label: "ok" }, "starts_on", /YYYY-MM-DD/],
      [{ starts_on: "03/01/2026", label: "ok" }, "starts_on", /YYYY-MM-DD/],
      [{ starts_on: "2026-03-01", ends_on: "tomorrow", label: "ok" }, "ends_on", /YYYY-MM-DD/],
      [{ starts_on: "2026-03-10", ends_on: "2026-03-09", label: "ok" }, "ends_on", /not be before/],
      [{ starts_on: "2026-01-01", ends_on: "2027-01-02", label: "ok" }, "ends_on", /at most 366 days/],
    ];
    for (const [input, where, message] of cases) {
      const error = await refusal(input);
      expect(error.status, JSON.stringify(input)).toBe(400);
      expect(error.details[0], JSON.stringify(input)).toMatchObject({ where, message: expect.stringMatching(message) });
      expect(error.message.startsWith(`${where}: `), error.message).toBe(true);
    }
    // 366 days, both ends included, is the longest range.
    expect((await createAnnotation(member, team, { starts_on: "2028-01-01", ends_on: "2028-12-31", label: "a leap year" })).ends_on).toBe("2028-12-31");
    // The same rules on edit, and on the listing's window.
    const made = await createAnnotation(member, team, { starts_on: "2026-03-01", label: "ok" });
    await expect(updateAnnotation(member, made.id, { starts_on: "2026-03-01", label: "" })).rejects.toMatchObject({ status: 400, details: [{ where: "label" }] });
    await expect(listAnnotations(member, team, { from: "2026-03-31", to: "2026-03-01" })).rejects.toMatchObject({ status: 400, details: [{ where: "from" }] });
    await expect(listAnnotations(member, team, { to: "2026-03-01" })).rejects.toMatchObject({ status: 400, details: [{ where: "from", message: expect.stringMatching(/is required/) }] });
  });
});
