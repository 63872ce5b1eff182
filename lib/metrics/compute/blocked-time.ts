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
  if (!startedAt) return { blockedMs: 0, open: null, byReasonMs: new Map() };
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
  return { blockedMs, open, byReasonMs: reasonTotals(pieces) };
}

function reasonTotals(pieces: readonly Piece[]): Map<string, number> {
  const byReason = new Map<string, Piece[]>();
  for (const p of pieces) {
    const reason = p.reason ?? "(no reason given)";
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
