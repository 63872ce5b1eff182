// One work item as the spec sees it at as_of: its timeline, cycle time or age, and blocked time.
import "server-only";
import type { Db } from "../db/client";
import { getWorkItem } from "../db/queries/items";
import { getTeamByKey } from "../db/queries/teams";
import { AppError } from "../errors";
import { daysBetween, formatInstant, localDate } from "../time/calendar";
import { computeBlockedTime, type BlockedSpan } from "./compute/blocked-time";
import { factAt, type TransitionFact } from "./compute/item-facts";
import { roundHours } from "./compute/series";

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
}

export async function getItemDetail(db: Db, teamKey: string, itemKey: string, asOf: Date): Promise<ItemDetail> {
  const team = await getTeamByKey(db, teamKey);
  if (!team) throw new AppError("TEAM_NOT_FOUND", `No team with key "${teamKey}".`);
  const found = await getWorkItem(db, team.id, itemKey);
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
  }));
  const now = factAt(facts, asOf);
  const startedAt = now?.startedAt ?? null;
  const finishedAt = now?.finishedAt ?? null;
  const spans: BlockedSpan[] = [
    ...found.blocks.map((b) => ({ start: b.start, end: b.end && b.end.getTime() <= asOf.getTime() ? b.end : null, reason: b.reason })),
    ...facts
      .filter((f) => f.blocked && f.at.getTime() <= asOf.getTime())
      .map((f) => ({ start: f.at, end: f.until && f.until.getTime() <= asOf.getTime() ? f.until : null, reason: f.status })),
  ];
  const blocked = computeBlockedTime({ asOf, startedAt, finishedAt, spans });
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
  };
}
