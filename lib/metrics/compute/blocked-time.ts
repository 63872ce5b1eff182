// Blocked time and open blockers of one item (spec §3 "Blocked time"). Pure.

export interface BlockedSpan {
  start: Date;
  /** null: still blocked at as_of (no end, an end after as_of, or the item sits in a blocked status). */
  end: Date | null;
  /** The block's reason, or the blocked status's name. */
  reason: string | null;
}

export interface BlockedTimeInput {
  asOf: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  spans: readonly BlockedSpan[];
}

export interface OpenBlocker {
  since: Date;
  reasons: string[];
}

export interface BlockedTime {
  blockedMs: number;
  open: OpenBlocker | null;
  /** Blocked time per reason (unioned per reason, so overlapping reasons each count in full). */
  byReasonMs: Map<string, number>;
  /** Reasons with a piece open at as_of: their time grows with as_of. */
  growingReasons: Set<string>;
}

interface Piece {
  start: number;
  end: number;
  open: boolean;
  reason: string | null;
  order: number;
}

export function computeBlockedTime(input: BlockedTimeInput): BlockedTime {
  const { asOf, startedAt, finishedAt } = input;
  if (!startedAt) return { blockedMs: 0, open: null, byReasonMs: new Map(), growingReasons: new Set() };
  const from = startedAt.getTime();
  const asOfMs = asOf.getTime();
  const until = finishedAt ? finishedAt.getTime() : asOfMs;

  const pieces: Piece[] = [];
  input.spans.forEach((span, order) => {
    if (span.start.getTime() > asOfMs) return;
    const open = span.end === null || span.end.getTime() > asOfMs;
    const start = Math.max(span.start.getTime(), from);
    const end = Math.min(open ? asOfMs : span.end!.getTime(), until);
    if (end < start || (end === start && !(open && !finishedAt))) return;
    pieces.push({ start, end, open: open && !finishedAt, reason: span.reason, order });
  });
  // Earliest first; equal starts keep the order given.
  pieces.sort((a, b) => a.start - b.start || a.order - b.order);

  let blockedMs = 0;
  let open: OpenBlocker | null = null;
  let i = 0;
  while (i < pieces.length) {
    const merged = { start: pieces[i]!.start, end: pieces[i]!.end, open: false, reasons: [] as string[] };
    // Overlapping and touching spans are one blocked interval.
    while (i < pieces.length && pieces[i]!.start <= merged.end) {
      const p = pieces[i]!;
      merged.end = Math.max(merged.end, p.end);
      merged.open ||= p.open;
      if (p.reason && !merged.reasons.includes(p.reason)) merged.reasons.push(p.reason);
      i++;
    }
    blockedMs += merged.end - merged.start;
    if (merged.open) open = { since: new Date(merged.start), reasons: merged.reasons };
  }
  const growingReasons = new Set(pieces.filter((p) => p.open).map((p) => reasonName(p.reason)));
  return { blockedMs, open, byReasonMs: reasonTotals(pieces), growingReasons };
}

function reasonName(reason: string | null): string {
  return reason ?? "(no reason given)";
}

function reasonTotals(pieces: readonly Piece[]): Map<string, number> {
  const byReason = new Map<string, Piece[]>();
  for (const p of pieces) {
    const reason = reasonName(p.reason);
    const list = byReason.get(reason);
    if (list) list.push(p);
    else byReason.set(reason, [p]);
  }
  const totals = new Map<string, number>();
  for (const [reason, list] of byReason) {
    let total = 0;
    let end = -Infinity;
    for (const p of list) {
      // Pieces are sorted by start: count only what extends past what this reason already covered.
      if (p.end > end) total += p.end - Math.max(p.start, end);
      end = Math.max(end, p.end);
    }
    totals.set(reason, total);
  }
  return totals;
}

/**
 * An item's blocked time as it stands at `validFrom`, its last change (the latest of its
 * transitions' instants and its blocks' starts and ends). At any as_of from then on nothing about
 * it changes but its open spell, which grows with as_of: so the import keeps these, and a metric
 * reads one row per item instead of its spans (spec §3 "Blocked time" is unchanged: see
 * blockedTimeFromFacts, equal to computeBlockedTime at every as_of ≥ validFrom).
 */
export interface BlockedFacts {
  validFrom: Date;
  /** Blocked time up to validFrom. */
  blockedMs: number;
  /** The open blocker's start, or null (none, or the item is finished). */
  openSince: Date | null;
  openReasons: string[];
  /** Blocked time per reason up to validFrom, and whether that reason's time is still growing. */
  byReason: [reason: string, ms: number, open: boolean][];
}

/** The facts of an item at its last change, or null when it has no blocked time then or after. */
export function blockedFactsOf(input: Omit<BlockedTimeInput, "asOf"> & { validFrom: Date }): BlockedFacts | null {
  const time = computeBlockedTime({ ...input, asOf: input.validFrom });
  if (time.blockedMs === 0 && !time.open) return null;
  return {
    validFrom: input.validFrom,
    blockedMs: time.blockedMs,
    openSince: time.open?.since ?? null,
    openReasons: time.open?.reasons ?? [],
    byReason: [...time.byReasonMs].map(([reason, ms]) => [reason, ms, time.growingReasons.has(reason)]),
  };
}

/** computeBlockedTime at `asOf` (≥ facts.validFrom) from the item's facts. */
export function blockedTimeFromFacts(facts: BlockedFacts, asOf: Date): BlockedTime {
  const growth = asOf.getTime() - facts.validFrom.getTime();
  if (growth < 0) throw new Error("blocked facts hold only from their item's last change on");
  const open = facts.openSince ? { since: facts.openSince, reasons: facts.openReasons } : null;
  const byReasonMs = new Map<string, number>();
  const growingReasons = new Set<string>();
  for (const [reason, ms, growing] of facts.byReason) {
    byReasonMs.set(reason, ms + (growing ? growth : 0));
    if (growing) growingReasons.add(reason);
  }
  return { blockedMs: facts.blockedMs + (open ? growth : 0), open, byReasonMs, growingReasons };
}
