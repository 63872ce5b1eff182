// The decisions log: per team, what was decided and why, linked to items, milestones and a
// roadblock; read with the team, written by its members and admins. A decision marked for the
// charts is drawn there like an annotation, read-only.
import "server-only";
import { z } from "zod";
import { canReadDecisions, canRecordDecision } from "../auth/permissions";
import { getDecision, insertDecision, listChartDecisions, listRoadblockDecisions, listTeamDecisions, type DecisionRow } from "../db/queries/decisions";
import { listItemTitles } from "../db/queries/items";
import { listMilestones } from "../db/queries/outcomes";
import { getRoadblock } from "../db/queries/roadblocks";
import { AppError, invalidInput } from "../errors";
import { LocalDateInput } from "../metrics/params";
import { addDays, formatInstant, isLocalDate, localDate, startOfLocalDate } from "../time/calendar";
import { allow, type ServiceContext } from "./context";
import { requireTeam, type Team } from "./teams";

const NOT_FOUND = "No such decision.";
const MAX_TEXT = 2000;
const MAX_LINKS = 50;

const blankAsNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
/** Keys from a form's one text field ("PAY-1, PAY-2") or a JSON list. */
const keyList = z
  .preprocess((v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : (v ?? [])), z.array(z.string({ error: "must be keys" }).trim().min(1)).max(MAX_LINKS, { error: `may list at most ${MAX_LINKS}` }))
  .transform((keys) => [...new Set(keys)]);

export const DecisionInput = z.object({
  title: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(120, { error: "may be at most 120 characters" }),
  rationale: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(MAX_TEXT, { error: `may be at most ${MAX_TEXT} characters` }),
  /** The date it was decided in the team's timezone; blank: today. */
  decided_on: z.preprocess(blankAsNull, LocalDateInput.nullish()).transform((v) => v ?? null),
  items: keyList,
  milestones: keyList,
  roadblock: z
    .preprocess(blankAsNull, z.coerce.number({ error: "must be a roadblock's number" }).int({ error: "must be a roadblock's number" }).positive({ error: "must be a roadblock's number" }).nullish())
    .transform((v) => v ?? null),
  show_on_charts: z
    .union([z.boolean(), z.enum(["on", "true", "1", "false", "0", ""], { error: "must be true or false" })])
    .nullish()
    .transform((v) => v === true || v === "on" || v === "true" || v === "1"),
});
export type DecisionInput = z.input<typeof DecisionInput>;

/** A decision as pages and the API show it. */
export interface Decision {
  id: number;
  team: string;
  title: string;
  rationale: string;
  decided_at: string;
  /** decided_at's date in the team's timezone. */
  decided_on: string;
  decided_by: string | null;
  item_keys: string[];
  milestone_keys: string[];
  roadblock_id: number | null;
  show_on_charts: boolean;
  path: string;
}

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

function fieldError(where: string, message: string): AppError {
  return new AppError("INVALID_INPUT", `${where}: ${message}`, [{ where, message }]);
}

function shown(row: DecisionRow, team: Team): Decision {
  return {
    id: row.id,
    team: team.key,
    title: row.title,
    rationale: row.rationale,
    decided_at: formatInstant(row.decidedAt),
    decided_on: localDate(row.decidedAt, team.timezone),
    decided_by: row.deciderName,
    item_keys: row.itemKeys,
    milestone_keys: row.milestoneKeys,
    roadblock_id: row.roadblockId,
    show_on_charts: row.showOnCharts,
    path: `/teams/${encodeURIComponent(team.key)}/decisions/${row.id}`,
  };
}

/** Whether the actor may record decisions for the team (the log offers the form only then). */
export function mayRecordDecision(ctx: ServiceContext, teamId: number): boolean {
  return canRecordDecision(ctx.actor, teamId) === null;
}

/**
 * A team's decisions, the latest first; with from/to (dates in the team's timezone) and charts=1,
 * only those to draw on the charts of that window, earliest first.
 */
export async function listDecisions(ctx: ServiceContext, teamKey: string, query: { from?: string; to?: string; charts?: string } = {}): Promise<Decision[]> {
  const team = await requireTeam(ctx, teamKey);
  allow(canReadDecisions(ctx.actor, team.id));
  const q = parsed(
    z
      .object({ from: LocalDateInput.optional(), to: LocalDateInput.optional(), charts: z.enum(["1", "0", "true", "false"], { error: "must be 1 or 0" }).optional() })
      .refine((w) => !w.from || !w.to || !isLocalDate(w.from) || !isLocalDate(w.to) || w.from <= w.to, { error: "must not be after to", path: ["from"] }),
    query,
  );
  if (q.charts === "1" || q.charts === "true") {
    if (!q.from || !q.to) throw fieldError(q.from ? "to" : "from", "is required with charts=1 (YYYY-MM-DD)");
    const rows = await listChartDecisions(ctx.db, { teamId: team.id, from: startOfLocalDate(q.from, team.timezone), to: startOfLocalDate(addDays(q.to, 1), team.timezone) });
    return rows.map((r) => shown(r, team));
  }
  return (await listTeamDecisions(ctx.db, team.id)).map((r) => shown(r, team));
}

export async function getDecisionDetail(ctx: ServiceContext, teamKey: string, id: number): Promise<{ team: { key: string; name: string; timezone: string }; decision: Decision }> {
  const team = await requireTeam(ctx, teamKey);
  allow(canReadDecisions(ctx.actor, team.id));
  const row = Number.isSafeInteger(id) && id > 0 ? await getDecision(ctx.db, id) : null;
  if (!row || row.teamId !== team.id) throw new AppError("NOT_FOUND", NOT_FOUND);
  return { team: { key: team.key, name: team.name, timezone: team.timezone }, decision: shown(row, team) };
}

/** For lib/services/roadblocks.ts, which has checked the roadblock is the team's and readable. */
export async function listDecisionsOfRoadblock(ctx: ServiceContext, team: Team, roadblockId: number): Promise<Decision[]> {
  return (await listRoadblockDecisions(ctx.db, roadblockId)).map((r) => shown(r, team));
}

/** Records a decision; every linked item, milestone and roadblock must be the team's. */
export async function createDecision(ctx: ServiceContext, teamKey: string, input: unknown): Promise<Decision> {
  const team = await requireTeam(ctx, teamKey);
  allow(canRecordDecision(ctx.actor, team.id));
  const d = parsed(DecisionInput, input);
  const today = localDate(ctx.now, team.timezone);
  if (d.decided_on !== null && d.decided_on > today) throw fieldError("decided_on", "must not be in the future");
  const known = new Set((await listItemTitles(ctx.db, team.id, d.items)).map((i) => i.key));
  const unknownItem = d.items.find((k) => !known.has(k));
  if (unknownItem) throw fieldError("items", `no work item "${unknownItem}" in team "${team.key}"`);
  const milestones = new Set((await listMilestones(ctx.db, team.id)).map((m) => m.key));
  const unknownMilestone = d.milestones.find((k) => !milestones.has(k));
  if (unknownMilestone) throw fieldError("milestones", `no milestone "${unknownMilestone}" in team "${team.key}"`);
  if (d.roadblock !== null) {
    const roadblock = await getRoadblock(ctx.db, d.roadblock);
    if (!roadblock || roadblock.teamId !== team.id) throw fieldError("roadblock", `no roadblock ${d.roadblock} in team "${team.key}"`);
  }
  // Today's decision keeps the instant it was made; an earlier day's sits at that day's start.
  const decidedAt = d.decided_on === null || d.decided_on === today ? ctx.now : startOfLocalDate(d.decided_on, team.timezone);
  const id = await insertDecision(ctx.db, {
    teamId: team.id,
    title: d.title,
    rationale: d.rationale,
    decidedAt,
    decidedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    itemKeys: d.items,
    milestoneKeys: d.milestones,
    roadblockId: d.roadblock,
    showOnCharts: d.show_on_charts,
    at: ctx.now,
  });
  return shown((await getDecision(ctx.db, id))!, team);
}

/** The decisions log page: every decision, and the form's defaults when the reader may record one. */
export async function getDecisionsPage(ctx: ServiceContext, teamKey: string) {
  const team = await requireTeam(ctx, teamKey);
  const decisions = await listDecisions(ctx, teamKey);
  return {
    team: { key: team.key, name: team.name, timezone: team.timezone },
    decisions,
    may_record: mayRecordDecision(ctx, team.id),
    today: localDate(ctx.now, team.timezone),
  };
}
