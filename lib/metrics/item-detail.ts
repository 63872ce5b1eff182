// One work item as the spec sees it at as_of: its timeline, cycle time or age, and blocked time,
// with why its start and finish are what they are and the data-quality checks it fails.
import "server-only";
import type { Db } from "../db/client";
import { getWorkItem } from "../db/queries/items";
import { getTeamByKey, listWorkflowStatuses } from "../db/queries/teams";
import { AppError } from "../errors";
import { daysBetween, formatInstant, localDate } from "../time/calendar";
import { computeBlockedTime, type BlockedSpan } from "./compute/blocked-time";
import { explainItem, splitBlockedIntervals, type ClipReason, type ItemExplanation } from "./compute/item-explain";
import { factAt, type TransitionFact } from "./compute/item-facts";
import { checkItemQuality, QUALITY_GUIDE, type QualityCheck } from "./compute/quality";
import { roundHours } from "./compute/series";
import type { StatusCategory } from "./compute/workflow";

/** Why started_at and finished_at are what they are; instants ISO 8601 in UTC, like the rest. */
export interface ItemDetailExplanation {
  /** left_todo: it left its last to-do status `from`; first_transition: never in a to-do status. */
  start: { kind: "left_todo" | "first_transition"; at: string; from: string | null; to: string; into_done: boolean } | null;
  /** Each move back to a to-do status, with the start it erased. */
  restarts: { at: string; from: string; to: string; erased_start: string }[];
  /** The entry into the done category; later moves between done statuses kept it. */
  finish: { at: string; from: string | null; to: string; later_moves: { at: string; from: string; to: string }[]; discarded: boolean } | null;
  /** Each move from done to not done, the finish it undid and the next entry into done. */
  reopenings: { at: string; from: string; to: string; to_category: StatusCategory; undone_finish: string; finished_again_at: string | null }[];
}

export interface ItemBlockedInterval {
  source: "block" | "status";
  /** The block's reason, or the blocked status's name. */
  reason: string | null;
  start: string;
  /** null: still open at as_of. */
  end: string | null;
  /** The part blocked time counts: within [started_at, finished_at or as_of]. */
  counted: { start: string; end: string; hours: number; open: boolean } | null;
  clipped: { start: string; end: string; hours: number; why: ClipReason }[];
}

export interface ItemDetail {
  team: { key: string; name: string; timezone: string };
  key: string;
  title: string;
  type: string;
  url: string | null;
  milestone: string | null;
  created_at: string;
  status: string | null;
  category: string | null;
  started_at: string | null;
  finished_at: string | null;
  discarded: boolean;
  cycle_time_days: number | null;
  cycle_time_hours: number | null;
  age_days: number | null;
  blocked_hours: number;
  open_blocker: { since: string; reasons: string[] } | null;
  timeline: { at: string; date: string; from: string | null; to: string; category: string; hours_in_status: number | null }[];
  blocks: { start: string; end: string | null; reason: string | null }[];
  explanation: ItemDetailExplanation;
  /** Every block and blocked-status span up to as_of, earliest first, split into counted and clipped parts. */
  blocked_intervals: ItemBlockedInterval[];
  /** The data-quality checks it fails, in the report's order. */
  quality: { check: QualityCheck; label: string; meaning: string }[];
}

export async function getItemDetail(db: Db, teamKey: string, itemKey: string, asOf: Date): Promise<ItemDetail> {
  const team = await getTeamByKey(db, teamKey);
  if (!team) throw new AppError("TEAM_NOT_FOUND", `No team with key "${teamKey}".`);
  const [found, statuses] = await Promise.all([getWorkItem(db, team.id, itemKey), listWorkflowStatuses(db, team.id)]);
  if (!found) throw new AppError("NOT_FOUND", `No work item "${itemKey}" in team "${teamKey}".`);
  const { item } = found;
  const tz = team.timezone;
  const facts: TransitionFact[] = found.transitions.map((t) => ({
    seq: t.seq,
    at: t.at,
    until: t.until,
    fromStatus: t.fromStatus,
    status: t.status,
    category: t.category,
    blocked: t.blocked,
    discarded: t.discarded,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    reopened: t.reopened,
    movedBackwards: t.movedBackwards,
  }));
  const now = factAt(facts, asOf);
  const startedAt = now?.startedAt ?? null;
  const finishedAt = now?.finishedAt ?? null;
  const spans: (BlockedSpan & { source: ItemBlockedInterval["source"] })[] = [
    ...found.blocks.map((b) => ({ start: b.start, end: b.end && b.end.getTime() <= asOf.getTime() ? b.end : null, reason: b.reason, source: "block" as const })),
    ...facts
      .filter((f) => f.blocked && f.at.getTime() <= asOf.getTime())
      .map((f) => ({ start: f.at, end: f.until && f.until.getTime() <= asOf.getTime() ? f.until : null, reason: f.status, source: "status" as const })),
  ];
  const blocked = computeBlockedTime({ asOf, startedAt, finishedAt, spans });
  const quality = checkItemQuality({
    createdAt: item.createdAt,
    facts,
    blocks: found.blocks,
    positions: new Map(statuses.map((s) => [s.name, s.position])),
    asOf,
  });
  const finishedCounted = finishedAt && !now?.discarded;
  return {
    team: { key: team.key, name: team.name, timezone: tz },
    key: item.key,
    title: item.title,
    type: item.type,
    url: item.url,
    milestone: item.milestoneKey,
    created_at: formatInstant(item.createdAt),
    status: now?.status ?? null,
    category: now?.category ?? null,
    started_at: startedAt ? formatInstant(startedAt) : null,
    finished_at: finishedAt ? formatInstant(finishedAt) : null,
    discarded: now?.discarded ?? false,
    cycle_time_days: finishedCounted && startedAt ? daysBetween(localDate(startedAt, tz), localDate(finishedAt, tz)) + 1 : null,
    cycle_time_hours: finishedCounted && startedAt ? roundHours(finishedAt.getTime() - startedAt.getTime()) : null,
    age_days: now?.category === "in_progress" && startedAt ? daysBetween(localDate(startedAt, tz), localDate(asOf, tz)) + 1 : null,
    blocked_hours: roundHours(blocked.blockedMs),
    open_blocker: blocked.open ? { since: formatInstant(blocked.open.since), reasons: blocked.open.reasons } : null,
    timeline: facts
      .filter((f) => f.at.getTime() <= asOf.getTime())
      .map((f) => ({
        at: formatInstant(f.at),
        date: localDate(f.at, tz),
        from: f.fromStatus,
        to: f.status,
        category: f.category,
        hours_in_status: roundHours(Math.min(f.until?.getTime() ?? asOf.getTime(), asOf.getTime()) - f.at.getTime()),
      })),
    blocks: found.blocks
      .filter((b) => b.start.getTime() <= asOf.getTime())
      .map((b) => ({ start: formatInstant(b.start), end: b.end ? formatInstant(b.end) : null, reason: b.reason })),
    explanation: explanationOf(explainItem(facts, asOf)),
    blocked_intervals: splitBlockedIntervals({ asOf, startedAt, finishedAt, spans }).map((s) => ({
      source: s.span.source,
      reason: s.span.reason,
      start: formatInstant(s.span.start),
      end: s.open ? null : formatInstant(s.end),
      counted: s.counted ? { start: formatInstant(s.counted.start), end: formatInstant(s.counted.end), hours: s.counted.hours, open: s.counted.open } : null,
      clipped: s.clipped.map((c) => ({ start: formatInstant(c.start), end: formatInstant(c.end), hours: c.hours, why: c.why })),
    })),
    quality: quality.map((check) => ({ check, ...QUALITY_GUIDE[check] })),
  };
}

function explanationOf(e: ItemExplanation): ItemDetailExplanation {
  const move = (m: { at: Date; from: string; to: string }) => ({ at: formatInstant(m.at), from: m.from, to: m.to });
  return {
    start: e.start ? { kind: e.start.kind, at: formatInstant(e.start.at), from: e.start.from, to: e.start.to, into_done: e.start.intoDone } : null,
    restarts: e.restarts.map((r) => ({ ...move(r), erased_start: formatInstant(r.erasedStart) })),
    finish: e.finish
      ? { at: formatInstant(e.finish.at), from: e.finish.from, to: e.finish.to, later_moves: e.finish.laterMoves.map(move), discarded: e.finish.discarded }
      : null,
    reopenings: e.reopenings.map((r) => ({
      ...move(r),
      to_category: r.toCategory,
      undone_finish: formatInstant(r.undoneFinish),
      finished_again_at: r.finishedAgainAt ? formatInstant(r.finishedAgainAt) : null,
    })),
  };
}
