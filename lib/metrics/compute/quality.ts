// Data-quality checks of one work item (spec §3 "Data quality"): why a number may look off. Pure.
import type { TransitionFact } from "./item-facts";

export const QUALITY_CHECKS = [
  "skipped_in_progress",
  "moved_backwards",
  "reopened",
  "blocked_before_start",
  "flag_after_finish",
  "created_after_first_transition",
  "stalled",
] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

/** `stalled`: no transition, block start or block end within this long up to as_of. */
export const STALLED_AFTER_MS = 120 * 3_600_000;

/** What each check means for the numbers, and what to do about it: shown beside its items. */
export const QUALITY_GUIDE: Record<QualityCheck, { label: string; meaning: string }> = {
  skipped_in_progress: {
    label: "Skipped in progress",
    meaning: "Went straight to done, so its cycle time is one day however long the work took; check that the board's in-progress columns are used.",
  },
  moved_backwards: {
    label: "Moved backwards",
    meaning: "Moved to an earlier column: a move back to a to-do column restarts its cycle time at the restart; check the board's column order.",
  },
  reopened: {
    label: "Reopened",
    meaning: "Left done after it was finished: it keeps its start and gets a new finish when done again, so its cycle time includes the time it sat done.",
  },
  blocked_before_start: {
    label: "Blocked before it started",
    meaning: "Flagged before work started: blocked time counts only from the start, so the flag's time before it is in no blocked-time figure; flag committed work only.",
  },
  flag_after_finish: {
    label: "Flag left after finish",
    meaning: "Still flagged after it was finished: blocked time stops at the finish; clear flags when work is done.",
  },
  created_after_first_transition: {
    label: "Created after its first move",
    meaning: "Its creation date is later than its first status change, usually an import or migration artefact; check the source's created dates.",
  },
  stalled: {
    label: "Stalled",
    meaning: "In progress with no status change or flag change for 5 days: it may have quietly stopped moving; ask whether it is still being worked on.",
  },
};

export interface QualityBlock {
  start: Date;
  end: Date | null;
}

export interface QualityItemInput {
  createdAt: Date;
  /** The item's transitions in order, with their derived facts (deriveTransitionFacts). */
  facts: readonly TransitionFact[];
  /** The item's blocks (tracker flags, reports), not its time in blocked statuses. */
  blocks: readonly QualityBlock[];
  /** Position of each status in the team's workflow order. */
  positions: ReadonlyMap<string, number>;
  asOf: Date;
}

/** The checks an item fails, in the report's order, looking at its history up to as_of. */
export function checkItemQuality(input: QualityItemInput): QualityCheck[] {
  const asOf = input.asOf.getTime();
  const facts = input.facts.filter((f) => f.at.getTime() <= asOf);
  const blocks = input.blocks.filter((b) => b.start.getTime() <= asOf);
  const failed = new Set<QualityCheck>();
  const current = facts[facts.length - 1];
  if (!current) return [];
  const startedAt = current.category === "todo" ? null : current.startedAt;
  const finishedAt = current.category === "done" ? current.finishedAt : null;

  if (finishedAt && !current.discarded && startedAt && startedAt.getTime() === finishedAt.getTime()) failed.add("skipped_in_progress");

  // A move is judged from the status the item was in just before it (the previous transition's).
  for (let i = 1; i < facts.length; i++) {
    const before = facts[i - 1]!;
    const after = facts[i]!;
    if (before.category === "done") {
      if (after.category !== "done") failed.add("reopened");
    } else if ((input.positions.get(after.status) ?? Infinity) < (input.positions.get(before.status) ?? -Infinity)) {
      failed.add("moved_backwards");
    }
  }

  if (blocks.some((b) => !startedAt || b.start.getTime() < startedAt.getTime())) failed.add("blocked_before_start");
  if (finishedAt && blocks.some((b) => b.end === null || b.end.getTime() > finishedAt.getTime())) failed.add("flag_after_finish");
  if (input.createdAt.getTime() > facts[0]!.at.getTime()) failed.add("created_after_first_transition");

  if (current.category === "in_progress") {
    const since = asOf - STALLED_AFTER_MS;
    const moved = (t: number) => t > since && t <= asOf;
    const active = facts.some((f) => moved(f.at.getTime())) || blocks.some((b) => moved(b.start.getTime()) || (b.end !== null && moved(b.end.getTime())));
    if (!active) failed.add("stalled");
  }
  return QUALITY_CHECKS.filter((c) => failed.has(c));
}
