// Per-item facts of the metric spec (§2), derived once per transition so that SQL can aggregate them.
import type { StatusCategory, Workflow } from "./workflow";

export interface TransitionInput {
  at: Date;
  to: string;
  from?: string | null;
}

/**
 * A transition with the facts that hold while it is the item's latest one (at <= as_of < until):
 * the item's status, and its started_at / finished_at as §2 defines them at such an as_of.
 */
export interface TransitionFact {
  seq: number;
  at: Date;
  until: Date | null;
  fromStatus: string | null;
  status: string;
  category: StatusCategory;
  blocked: boolean;
  discarded: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The item has left done by this transition (it or an earlier one): the quality check "reopened". */
  reopened: boolean;
  /** The item has moved to an earlier status (not from done) by this transition: "moved_backwards". */
  movedBackwards: boolean;
}

/**
 * Orders an item's transitions (equal instants keep the order given) and derives, for each prefix,
 * the spec's started_at and finished_at. Throws on a status the workflow does not map; importers
 * check that first so the user gets every unmapped status at once.
 */
export function deriveTransitionFacts(transitions: readonly TransitionInput[], workflow: Workflow): TransitionFact[] {
  const ordered = transitions
    .map((t, index) => ({ t, index }))
    .sort((a, b) => a.t.at.getTime() - b.t.at.getTime() || a.index - b.index)
    .map(({ t }) => t);

  const facts: TransitionFact[] = [];
  let lastTodo = -1;
  for (let i = 0; i < ordered.length; i++) {
    const t = ordered[i]!;
    const status = workflow.get(t.to);
    if (!status) throw new Error(`status "${t.to}" is not in the workflow`);
    if (status.category === "todo") lastTodo = i;

    // Started: the transition that left the last todo status (a move back to todo restarts the
    // clock); never in todo: the first transition. Undefined while the item sits in todo.
    let startedAt: Date | null = null;
    if (status.category !== "todo") startedAt = ordered[lastTodo + 1]!.at;

    // Finished (v1.1): the last entry into the done category. A move between done statuses
    // (Done → Released, Won't Do → Done) keeps the finish; a reopened item gets a new one.
    const previous = facts[i - 1];
    const finishedAt = status.category !== "done" ? null : previous?.category === "done" ? previous.finishedAt : t.at;
    // Quality (spec §3): a move is judged from the status the item was in just before it.
    const before = previous ? workflow.get(previous.status)! : null;
    const reopened = (previous?.reopened ?? false) || (before?.category === "done" && status.category !== "done");
    const movedBackwards = (previous?.movedBackwards ?? false) || (before !== null && before.category !== "done" && status.position < before.position);

    facts.push({
      seq: i,
      at: t.at,
      until: null,
      fromStatus: t.from ?? null,
      status: status.name,
      category: status.category,
      blocked: status.blocked,
      discarded: status.category === "done" && status.discarded,
      startedAt,
      finishedAt,
      reopened,
      movedBackwards,
    });
    if (i > 0) facts[i - 1]!.until = t.at;
  }
  return facts;
}

/** The item's state at an instant: the fact of its last transition at or before it, if any. */
export function factAt(facts: readonly TransitionFact[], asOf: Date): TransitionFact | null {
  let current: TransitionFact | null = null;
  for (const f of facts) {
    if (f.at.getTime() <= asOf.getTime()) current = f;
    else break;
  }
  return current;
}
