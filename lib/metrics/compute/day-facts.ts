// Day-level facts of a team's history: per local date, item type and status, how many items
// entered or left a state. The cumulative flow and the WIP of days before the one that holds
// as_of are running sums of these (lib/db/queries/day-facts.ts), so a dashboard reads a few
// thousand small rows instead of every transition. Pure: the import feeds it the transitions it
// writes (and, negated, the ones it replaces), a rebuild feeds it a team's whole history.
//
// Each fact is the very definition the transition queries in lib/db/queries/flow.ts apply, read
// over a whole history: for any day before as_of's, no transition after as_of can change it.
import { addDays, localDateLookup, type LocalDate } from "../../time/calendar";
import type { StatusCategory } from "./workflow";

/** What a stored transition row says, as far as the day facts need it. */
export interface DayFactTransition {
  seq: number;
  at: Date;
  until: Date | null;
  status: string;
  category: StatusCategory;
}

export interface DayStatusFact {
  day: LocalDate;
  itemType: string;
  status: string;
  /** Change in the items whose state at the end of the day is this status. */
  endOfDay: number;
  /** Change in the items in this in-progress status at any instant of the day. */
  anyInstant: number;
}

export interface DayWipFact {
  day: LocalDate;
  itemType: string;
  /** Change in the items in progress at any instant of the day. */
  delta: number;
}

/** A day range [first, last] of an item's presence; last null: still there (no end yet). */
interface DayRange {
  first: LocalDate;
  last: LocalDate | null;
}

export class DayFactsAccumulator {
  private readonly status = new Map<LocalDate, Map<string, Map<string, DayStatusFact>>>();
  private readonly wip = new Map<LocalDate, Map<string, DayWipFact>>();
  private readonly nextDays = new Map<LocalDate, LocalDate>();
  /** The local date of an instant in the team's zone (the date PostgreSQL's `at time zone` gives). */
  readonly dayOf: (ms: number) => LocalDate;

  constructor(timezone: string) {
    this.dayOf = localDateLookup(timezone);
  }

  /**
   * Adds (sign 1) or takes away (sign −1) one item's contribution. `transitions` are all of the
   * item's stored rows, in seq order.
   */
  addItem(itemType: string, transitions: readonly DayFactTransition[], sign: 1 | -1): void {
    const perStatus = new Map<string, DayRange[]>();
    const spells: DayRange[] = [];
    let spellStart: Date | null = null;
    let spellEnd: Date | null = null;
    let spellOpen = false;
    const closeSpell = () => {
      if (spellStart === null) return;
      // A spell of no duration covers no instant.
      if (spellOpen || spellEnd!.getTime() > spellStart.getTime()) {
        spells.push({ first: this.dayOf(spellStart.getTime()), last: spellOpen ? null : this.dayOf(spellEnd!.getTime() - 1) });
      }
      spellStart = null;
    };

    let previousSeq: number | null = null;
    for (const t of transitions) {
      const atDay = this.dayOf(t.at.getTime());
      // Cumulative flow: the row is the state at the end of the days from its own to the day
      // before its successor's; a row that ends on its own day is no day's end state.
      if (t.until === null) this.addStatus(atDay, itemType, t.status, sign, 0);
      else {
        const untilDay = this.dayOf(t.until.getTime());
        if (untilDay > atDay) {
          this.addStatus(atDay, itemType, t.status, sign, 0);
          this.addStatus(untilDay, itemType, t.status, -sign, 0);
        }
      }

      // The team's WIP: consecutive in-progress rows form one spell.
      const consecutive = previousSeq !== null && t.seq === previousSeq + 1;
      previousSeq = t.seq;
      if (t.category === "in_progress") {
        if (spellStart === null || !consecutive) {
          closeSpell();
          spellStart = t.at;
          spellOpen = false;
        }
        if (t.until === null) spellOpen = true;
        else spellEnd = t.until;
        // Per status: each row of positive duration covers its days.
        if (t.until === null || t.until.getTime() > t.at.getTime()) {
          const ranges = perStatus.get(t.status) ?? [];
          ranges.push({ first: atDay, last: t.until === null ? null : this.dayOf(t.until.getTime() - 1) });
          perStatus.set(t.status, ranges);
        }
      } else closeSpell();
    }
    closeSpell();

    for (const range of mergeRanges(spells)) {
      this.addWip(range.first, itemType, sign);
      if (range.last !== null) this.addWip(this.dayAfter(range.last), itemType, -sign);
    }
    for (const [status, ranges] of perStatus) {
      for (const range of mergeRanges(ranges)) {
        this.addStatus(range.first, itemType, status, 0, sign);
        if (range.last !== null) this.addStatus(this.dayAfter(range.last), itemType, status, 0, -sign);
      }
    }
  }

  /** The facts gathered, without the ones that cancelled out. */
  statusFacts(): DayStatusFact[] {
    const facts: DayStatusFact[] = [];
    for (const ofDay of this.status.values()) for (const ofType of ofDay.values()) for (const f of ofType.values()) if (f.endOfDay !== 0 || f.anyInstant !== 0) facts.push(f);
    return facts;
  }

  wipFacts(): DayWipFact[] {
    const facts: DayWipFact[] = [];
    for (const ofDay of this.wip.values()) for (const f of ofDay.values()) if (f.delta !== 0) facts.push(f);
    return facts;
  }

  // Nested maps rather than one keyed by "day type status": the day strings come from dayOf's
  // cache, so no key string is built (and hashed) per call.
  private addStatus(day: LocalDate, itemType: string, status: string, endOfDay: number, anyInstant: number) {
    let ofDay = this.status.get(day);
    if (!ofDay) this.status.set(day, (ofDay = new Map()));
    let ofType = ofDay.get(itemType);
    if (!ofType) ofDay.set(itemType, (ofType = new Map()));
    const fact = ofType.get(status);
    if (fact) {
      fact.endOfDay += endOfDay;
      fact.anyInstant += anyInstant;
    } else ofType.set(status, { day, itemType, status, endOfDay, anyInstant });
  }

  private addWip(day: LocalDate, itemType: string, delta: number) {
    let ofDay = this.wip.get(day);
    if (!ofDay) this.wip.set(day, (ofDay = new Map()));
    const fact = ofDay.get(itemType);
    if (fact) fact.delta += delta;
    else ofDay.set(itemType, { day, itemType, delta });
  }

  /** The day after a date, once per date. */
  private dayAfter(day: LocalDate): LocalDate {
    let next = this.nextDays.get(day);
    if (next === undefined) this.nextDays.set(day, (next = addDays(day, 1)));
    return next;
  }
}

/** Ranges that share a day become one: an item counts once on a day. */
export function mergeRanges(ranges: readonly DayRange[]): DayRange[] {
  if (ranges.length <= 1) return [...ranges];
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : compareLast(a.last, b.last)));
  const merged: DayRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && (last.last === null || r.first <= last.last)) {
      if (last.last !== null && (r.last === null || r.last > last.last)) last.last = r.last;
    } else merged.push({ ...r });
  }
  return merged;
}

function compareLast(a: LocalDate | null, b: LocalDate | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
