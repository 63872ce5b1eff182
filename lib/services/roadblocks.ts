// Roadblocks: a member reports what blocks an item and the way out they propose; a reviewer answers
// with a written decision, which may end the block. While open, the report's row in `blocks`
// counts in blocked time and among open blockers like any tracker flag.
import "server-only";
import { z } from "zod";
import { canDecideRoadblock, canReadRoadblocks, canReportRoadblock } from "../auth/permissions";
import { insertDecision } from "../db/queries/decisions";
import { getWorkItem, listItemTitles } from "../db/queries/items";
import {
  getRoadblock,
  insertRoadblock,
  insertRoadblockBlock,
  roadblockBlockReason,
  insertRoadblockEvent,
  listOpenTeamRoadblocks,
  listRoadblockEvents,
  listTeamRoadblocks,
  storeRoadblockDecision,
  type RoadblockRow,
} from "../db/queries/roadblocks";
import { ROADBLOCK_DECISIONS, type RoadblockDecision } from "../db/schema";
import { AppError, invalidInput } from "../errors";
import { lockTeamFacts, refreshBlockedFacts } from "../ingest/blocked-facts";
import { computeMetric, resolveWindow, type BlockersResult } from "../metrics/load";
import { formatInstant, isLocalDate, zonedTimeToInstant } from "../time/calendar";
import { trackerBlockers } from "../views/roadblock-view";
import { allow, type ServiceContext } from "./context";
import { listDecisionsOfRoadblock, type Decision } from "./decisions";
import { requireTeam, type Team } from "./teams";

export const MAX_TEXT = 2000;
const NOT_FOUND = "No such roadblock.";

/** A form's empty field is no value. */
const blankAsNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const requiredText = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "is required" })
  .max(MAX_TEXT, { error: `may be at most ${MAX_TEXT} characters` });
const optionalText = z
  .preprocess(blankAsNull, z.string({ error: "must be text" }).trim().max(MAX_TEXT, { error: `may be at most ${MAX_TEXT} characters` }).nullish())
  .transform((v) => v ?? null);
/** A checkbox ("on"), a JSON boolean, or absent. */
const flag = z
  .union([z.boolean(), z.enum(["on", "true", "1", "false", "0", ""], { error: "must be true or false" })])
  .nullish()
  .transform((v) => v === true || v === "on" || v === "true" || v === "1");

export const ReportRoadblockInput = z.object({
  item: z.string({ error: "is required" }).trim().min(1, { error: "is required" }),
  problem: requiredText,
  proposal: requiredText,
  support_needed: optionalText,
  /** An instant with an offset, or a form's local "YYYY-MM-DDTHH:MM" in the team's timezone; blank: now. */
  since: z.preprocess(blankAsNull, z.string({ error: "must be a date and time" }).nullish()).transform((v) => v ?? null),
});
export type ReportRoadblockInput = z.input<typeof ReportRoadblockInput>;

export const DecideRoadblockInput = z.object({
  decision: z.enum(ROADBLOCK_DECISIONS, { error: `must be one of ${ROADBLOCK_DECISIONS.join(", ")}` }),
  text: requiredText,
  /** "resolved" always ends the block; an accepted proposal or another way only when this says so. */
  ends_block: flag,
  show_on_charts: flag,
});
export type DecideRoadblockInput = z.input<typeof DecideRoadblockInput>;

export const DECISION_LABELS: Record<RoadblockDecision, string> = {
  accepted: "Proposal accepted",
  other: "Another way",
  resolved: "Resolved",
};

/** A roadblock as pages and the API show it; instants ISO 8601 in UTC. */
export interface Roadblock {
  id: number;
  team: string;
  item_key: string;
  item_title: string | null;
  problem: string;
  proposal: string;
  support_needed: string | null;
  since: string;
  reported_by: string | null;
  reported_at: string;
  /** The latest written answer; null while it waits for one. */
  decision: RoadblockDecision | null;
  decision_text: string | null;
  decided_by: string | null;
  decided_at: string | null;
  /** When its block ended; null while the item is blocked by it. */
  ended_at: string | null;
  /** Hours since it was reported, while no answer has been given; else null. */
  waiting_hours: number | null;
  path: string;
}

export interface RoadblockEvent {
  at: string;
  by: string | null;
  kind: "reported" | "decided" | "reopened";
  decision: RoadblockDecision | null;
  text: string | null;
  ends_block: boolean;
}

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

function fieldError(where: string, message: string): AppError {
  return new AppError("INVALID_INPUT", `${where}: ${message}`, [{ where, message }]);
}

const userIdOf = (ctx: ServiceContext) => (ctx.actor.kind === "user" ? ctx.actor.userId : null);
const round2 = (n: number) => Math.round(n * 100) / 100;

export function roadblockPath(teamKey: string, id: number): string {
  return `/teams/${encodeURIComponent(teamKey)}/roadblocks/${id}`;
}

function shown(row: RoadblockRow, team: Team, titles: Map<string, string>, now: Date): Roadblock {
  const iso = (d: Date | null) => (d ? formatInstant(d) : null);
  return {
    id: row.id,
    team: team.key,
    item_key: row.itemKey,
    item_title: titles.get(row.itemKey) ?? null,
    problem: row.problem,
    proposal: row.proposal,
    support_needed: row.supportNeeded,
    since: formatInstant(row.since),
    reported_by: row.reporterName,
    reported_at: formatInstant(row.reportedAt),
    decision: row.decision,
    decision_text: row.decisionText,
    decided_by: row.deciderName,
    decided_at: iso(row.decidedAt),
    ended_at: iso(row.endedAt),
    waiting_hours: row.decidedAt === null && row.endedAt === null ? round2(Math.max(0, now.getTime() - row.reportedAt.getTime()) / 3_600_000) : null,
    path: roadblockPath(team.key, row.id),
  };
}

async function titlesOf(ctx: ServiceContext, teamId: number, rows: readonly RoadblockRow[]): Promise<Map<string, string>> {
  const keys = [...new Set(rows.map((r) => r.itemKey))];
  return new Map((await listItemTitles(ctx.db, teamId, keys)).map((t) => [t.key, t.title]));
}

/** "2026-03-10T09:30" in the team's timezone, or an instant with an offset. */
function sinceOf(value: string, timeZone: string): Date | null {
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (local) {
    if (!isLocalDate(local[1]!) || Number(local[2]) > 23 || Number(local[3]) > 59 || Number(local[4] ?? 0) > 59) return null;
    return zonedTimeToInstant(local[1]!, { hour: Number(local[2]), minute: Number(local[3]), second: Number(local[4] ?? 0) }, timeZone);
  }
  const offset = z.iso.datetime({ offset: true }).safeParse(value);
  return offset.success ? new Date(offset.data) : null;
}

/** Whether the actor may report roadblocks on the team (the item page offers the form only then). */
export function mayReportRoadblock(ctx: ServiceContext, teamId: number): boolean {
  return canReportRoadblock(ctx.actor, teamId) === null;
}

/** Reports a roadblock on one of the team's items: its block opens at `since` (default now). */
export async function reportRoadblock(ctx: ServiceContext, teamKey: string, input: unknown): Promise<Roadblock> {
  const team = await requireTeam(ctx, teamKey);
  allow(canReportRoadblock(ctx.actor, team.id));
  const r = parsed(ReportRoadblockInput, input);
  const found = await getWorkItem(ctx.db, team.id, r.item);
  if (!found) throw fieldError("item", `no work item "${r.item}" in team "${team.key}"`);
  let since = ctx.now;
  if (r.since !== null) {
    const at = sinceOf(r.since, team.timezone);
    if (!at) throw fieldError("since", "must be a date and time, e.g. 2026-03-10T09:30");
    if (at.getTime() > ctx.now.getTime()) throw fieldError("since", "must not be in the future");
    if (at.getTime() < found.item.createdAt.getTime()) throw fieldError("since", `must not be before the item was created (${formatInstant(found.item.createdAt)})`);
    since = at;
  }
  const id = await ctx.db.transaction(async (tx) => {
    await lockTeamFacts(tx, team.id);
    const roadblockId = await insertRoadblock(tx, {
      teamId: team.id,
      itemKey: found.item.key,
      problem: r.problem,
      proposal: r.proposal,
      supportNeeded: r.support_needed,
      since,
      reportedBy: userIdOf(ctx),
      at: ctx.now,
    });
    await insertRoadblockBlock(tx, { roadblockId, itemId: found.item.id, teamId: team.id, start: since, reason: roadblockBlockReason(r.problem) });
    await refreshBlockedFacts(tx, team.id, [found.item.id]);
    await insertRoadblockEvent(tx, { roadblockId, at: ctx.now, actorId: userIdOf(ctx), kind: "reported", text: r.problem });
    return roadblockId;
  });
  return shown((await getRoadblock(ctx.db, id))!, team, new Map([[found.item.key, found.item.title]]), ctx.now);
}

/** The roadblock, if it is the team's and the actor sees the team; else the same "not found". */
async function roadblockOf(ctx: ServiceContext, teamKey: string, id: number): Promise<{ team: Team; row: RoadblockRow }> {
  const team = await requireTeam(ctx, teamKey);
  allow(canReadRoadblocks(ctx.actor, team.id));
  const row = Number.isSafeInteger(id) && id > 0 ? await getRoadblock(ctx.db, id) : null;
  if (!row || row.teamId !== team.id) throw new AppError("NOT_FOUND", NOT_FOUND);
  return { team, row };
}

/**
 * A reviewer's written answer. It is also a decision in the team's log; "resolved" (or
 * ends_block) ends the roadblock's block at this instant, so blocked time stops counting.
 */
export async function decideRoadblock(ctx: ServiceContext, teamKey: string, id: number, input: unknown): Promise<Roadblock> {
  const { team, row } = await roadblockOf(ctx, teamKey, id);
  allow(canDecideRoadblock(ctx.actor, team.id));
  const d = parsed(DecideRoadblockInput, input);
  if (row.endedAt !== null) throw fieldError("roadblock", "has ended already; it takes no further decisions");
  const ends = d.decision === "resolved" || d.ends_block;
  await ctx.db.transaction(async (tx) => {
    await lockTeamFacts(tx, team.id);
    const unblocked = await storeRoadblockDecision(tx, row.id, { decision: d.decision, decisionText: d.text, decidedBy: userIdOf(ctx), decidedAt: ctx.now, endedAt: ends ? ctx.now : null });
    if (unblocked.length > 0) await refreshBlockedFacts(tx, team.id, unblocked);
    await insertRoadblockEvent(tx, { roadblockId: row.id, at: ctx.now, actorId: userIdOf(ctx), kind: "decided", decision: d.decision, text: d.text, endsBlock: ends });
    await insertDecision(tx, {
      teamId: team.id,
      title: `${DECISION_LABELS[d.decision]}: ${row.itemKey}`,
      rationale: d.text,
      decidedAt: ctx.now,
      decidedBy: userIdOf(ctx),
      itemKeys: [row.itemKey],
      milestoneKeys: [],
      roadblockId: row.id,
      showOnCharts: d.show_on_charts,
      at: ctx.now,
    });
  });
  const after = (await getRoadblock(ctx.db, row.id))!;
  return shown(after, team, await titlesOf(ctx, team.id, [after]), ctx.now);
}

export interface RoadblockDetail {
  team: { key: string; name: string; timezone: string };
  roadblock: Roadblock;
  events: RoadblockEvent[];
  decisions: Decision[];
  /** Whether the reader may answer it (the page offers the form only then). */
  may_decide: boolean;
}

/** One roadblock with its whole history: the report, each decision, who and when. */
export async function getRoadblockDetail(ctx: ServiceContext, teamKey: string, id: number): Promise<RoadblockDetail> {
  const { team, row } = await roadblockOf(ctx, teamKey, id);
  const [events, titles, decisions] = await Promise.all([listRoadblockEvents(ctx.db, row.id), titlesOf(ctx, team.id, [row]), listDecisionsOfRoadblock(ctx, team, row.id)]);
  return {
    team: { key: team.key, name: team.name, timezone: team.timezone },
    roadblock: shown(row, team, titles, ctx.now),
    events: events.map((e) => ({ at: formatInstant(e.at), by: e.actorName, kind: e.kind, decision: e.decision, text: e.text, ends_block: e.endsBlock === true })),
    decisions,
    may_decide: canDecideRoadblock(ctx.actor, team.id) === null,
  };
}

/** A team's roadblocks, the latest reported first; `open` only those whose block is open. */
export async function listRoadblocks(ctx: ServiceContext, teamKey: string, query: { status?: string } = {}): Promise<Roadblock[]> {
  const team = await requireTeam(ctx, teamKey);
  allow(canReadRoadblocks(ctx.actor, team.id));
  const status = parsed(z.object({ status: z.enum(["open", "all"], { error: "must be open or all" }).optional() }), query).status ?? "all";
  const rows = status === "open" ? await listOpenTeamRoadblocks(ctx.db, team.id) : await listTeamRoadblocks(ctx.db, team.id);
  const titles = await titlesOf(ctx, team.id, rows);
  return rows.map((r) => shown(r, team, titles, ctx.now));
}

export interface RoadblocksPage {
  team: { key: string; name: string; timezone: string };
  roadblocks: Roadblock[];
  /** The team's open blockers that no open roadblock explains (the blockers metric, now). */
  tracker: (BlockersResult["open"][number] & { source: "tracker" })[];
}

/** The roadblocks page: every report, and the tracker's open blockers beside them, read-only. */
export async function getRoadblocksPage(ctx: ServiceContext, teamKey: string): Promise<RoadblocksPage> {
  const roadblocks = await listRoadblocks(ctx, teamKey);
  const team = await requireTeam(ctx, teamKey);
  const window = await resolveWindow(ctx.db, { team: team.key, details: true }, ctx.now);
  const blockers = await computeMetric(ctx.db, "blockers", window);
  return { team: { key: team.key, name: team.name, timezone: team.timezone }, roadblocks, tracker: trackerBlockers(blockers.open, roadblocks) };
}

/** An item's roadblocks for its page, and whether the reader may report one. */
export async function getItemRoadblocks(ctx: ServiceContext, teamKey: string, itemKey: string): Promise<{ roadblocks: Roadblock[]; may_report: boolean }> {
  const team = await requireTeam(ctx, teamKey);
  const roadblocks = (await listRoadblocks(ctx, teamKey)).filter((r) => r.item_key === itemKey);
  return { roadblocks, may_report: mayReportRoadblock(ctx, team.id) };
}
