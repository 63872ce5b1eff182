// Why one item's started_at and finished_at are what they are (spec §2), and which parts of its
// blocked spans count (§3 "Blocked time"). Pure and structured: the item page words the result.
import type { BlockedSpan } from "./blocked-time";
import type { TransitionFact } from "./item-facts";
import { roundHours } from "./series";
import type { StatusCategory } from "./workflow";

export interface StartExplanation {
  /** left_todo: the transition out of its last to-do status; first_transition: it was never in one. */
  kind: "left_todo" | "first_transition";
  at: Date;
  /** The last to-do status it left (left_todo); null for first_transition. */
  from: string | null;
  /** The status the starting transition entered. */
  to: string;
  /** The starting transition went straight into done: the item skipped in progress. */
  intoDone: boolean;
}

/** A move back to a to-do status, which erased the start the item had until then. */
export interface Restart {
  at: Date;
  from: string;
  to: string;
  erasedStart: Date;
}

export interface StatusMove {
  at: Date;
  from: string;
  to: string;
}

export interface FinishExplanation {
  /** The transition that entered the done category: the first of the run of done statuses it is in. */
  at: Date;
  from: string | null;
  to: string;
  /** Later moves between done statuses (Done → Released), which keep the finish. */
  laterMoves: StatusMove[];
  /** Its done status at as_of is a discarded one. */
  discarded: boolean;
}

/** A move from a done status to one that is not done. */
export interface Reopening {
  at: Date;
  from: string;
  to: string;
  toCategory: StatusCategory;
  /** The finish this move undid. */
  undoneFinish: Date;
  /** Its next entry into done up to as_of, if any. */
  finishedAgainAt: Date | null;
}

export interface ItemExplanation {
  /** Status at as_of; null before its first transition. */
  status: string | null;
  category: StatusCategory | null;
  start: StartExplanation | null;
  restarts: Restart[];
  finish: FinishExplanation | null;
  reopenings: Reopening[];
}

/**
 * Explains the item's state at as_of from its ordered facts (deriveTransitionFacts): it finds the
 * transitions that set started_at and finished_at by the same rules, so their instants are the facts'.
 */
export function explainItem(facts: readonly TransitionFact[], asOf: Date): ItemExplanation {
  const seen = facts.filter((f) => f.at.getTime() <= asOf.getTime());
  const restarts: Restart[] = [];
  const reopenings: Reopening[] = [];
  let lastTodo = -1;
  let doneRun = -1;
  let pendingReopenings: Reopening[] = [];
  for (let i = 0; i < seen.length; i++) {
    const f = seen[i]!;
    const previous = seen[i - 1];
    if (previous && f.category === "todo" && previous.category !== "todo") {
      restarts.push({ at: f.at, from: previous.status, to: f.status, erasedStart: seen[lastTodo + 1]!.at });
    }
    if (previous?.category === "done" && f.category !== "done") {
      const reopening: Reopening = { at: f.at, from: previous.status, to: f.status, toCategory: f.category, undoneFinish: seen[doneRun]!.at, finishedAgainAt: null };
      reopenings.push(reopening);
      pendingReopenings.push(reopening);
    }
    if (f.category === "done" && previous?.category !== "done") {
      doneRun = i;
      for (const r of pendingReopenings) r.finishedAgainAt = f.at;
      pendingReopenings = [];
    }
    if (f.category === "todo") lastTodo = i;
  }

  const current = seen[seen.length - 1];
  if (!current) return { status: null, category: null, start: null, restarts, finish: null, reopenings };

  let start: StartExplanation | null = null;
  if (current.category !== "todo") {
    const starting = seen[lastTodo + 1]!;
    start = {
      kind: lastTodo >= 0 ? "left_todo" : "first_transition",
      at: starting.at,
      from: lastTodo >= 0 ? seen[lastTodo]!.status : null,
      to: starting.status,
      intoDone: starting.category === "done",
    };
  }

  let finish: FinishExplanation | null = null;
  if (current.category === "done") {
    const entered = seen[doneRun]!;
    const laterMoves = seen.slice(doneRun + 1).map((f, k) => ({ at: f.at, from: seen[doneRun + k]!.status, to: f.status }));
    finish = { at: entered.at, from: seen[doneRun - 1]?.status ?? null, to: entered.status, laterMoves, discarded: current.discarded };
  }
  return { status: current.status, category: current.category, start, restarts, finish, reopenings };
}

export type ClipReason = "before_start" | "after_finish" | "not_started";

export interface BlockedPart {
  start: Date;
  end: Date;
  hours: number;
}

export interface SplitBlockedSpan<S extends BlockedSpan> {
  span: S;
  /** The span's end, or as_of while it is open. */
  end: Date;
  /** No end, or an end after as_of. */
  open: boolean;
  /** The part inside [started_at, finished_at or as_of]; open when it runs on at as_of. */
  counted: (BlockedPart & { open: boolean }) | null;
  clipped: (BlockedPart & { why: ClipReason })[];
}

export interface SplitBlockedInput<S extends BlockedSpan> {
  asOf: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  spans: readonly S[];
}

/**
 * Each blocked span (block or time in a blocked status) split into the part blocked time counts
 * and the parts clipped away, earliest first. Spans are not merged: overlapping counted parts are
 * one blocked interval in computeBlockedTime, so their hours can add up to more than blocked_hours.
 */
export function splitBlockedIntervals<S extends BlockedSpan>(input: SplitBlockedInput<S>): SplitBlockedSpan<S>[] {
  const asOf = input.asOf.getTime();
  const part = (start: number, end: number): BlockedPart => ({ start: new Date(start), end: new Date(end), hours: roundHours(end - start) });
  return input.spans
    .map((span, order) => ({ span, order }))
    .filter(({ span }) => span.start.getTime() <= asOf)
    .sort((a, b) => a.span.start.getTime() - b.span.start.getTime() || a.order - b.order)
    .map(({ span }) => {
      const start = span.start.getTime();
      const open = span.end === null || span.end.getTime() > asOf;
      const end = open ? asOf : span.end!.getTime();
      const split: SplitBlockedSpan<S> = { span, end: new Date(end), open, counted: null, clipped: [] };
      if (!input.startedAt) {
        if (end > start) split.clipped.push({ ...part(start, end), why: "not_started" });
        return split;
      }
      const from = input.startedAt.getTime();
      const until = input.finishedAt ? input.finishedAt.getTime() : asOf;
      if (start < from && Math.min(end, from) > start) split.clipped.push({ ...part(start, Math.min(end, from)), why: "before_start" });
      const countedStart = Math.max(start, from);
      const countedEnd = Math.min(end, until);
      const runsOn = open && !input.finishedAt;
      // A block opened at as_of itself is an open blocker of no length yet (as computeBlockedTime).
      if (countedEnd > countedStart || (countedEnd === countedStart && runsOn)) split.counted = { ...part(countedStart, countedEnd), open: runsOn };
      if (input.finishedAt && end > until) split.clipped.push({ ...part(Math.max(start, until), end), why: "after_finish" });
      return split;
    });
}
