// Keeps a team's day-level facts (lib/metrics/compute/day-facts.ts) equal to its transitions:
// an import adds what its new items contribute and takes away what its replaced items did;
// whatever changes more than items (a workflow, a timezone, facts never built) rebuilds them.
import "server-only";
import type { Db } from "../db/client";
import {
  addDayFacts,
  dayFactsTimezone,
  dropDayFacts,
  listTeamsWithoutDayFacts,
  listTransitionsForFacts,
  lockDayFacts,
  markDayFacts,
  teamHasNoItems,
  teamTimezone,
} from "../db/queries/day-facts";
import { DayFactsAccumulator, type DayFactTransition } from "../metrics/compute/day-facts";

/** Items read per page by a rebuild. */
const REBUILD_PAGE_ITEMS = 2_000;

/**
 * The facts of one import's changes, written at its end in its transaction. `incremental` is
 * false when the whole team has to be rebuilt instead (the accumulator then gathers nothing).
 */
export class DayFactsUpdate {
  private readonly changes: DayFactsAccumulator;

  private constructor(
    private readonly teamId: number,
    private readonly timezone: string,
    private incremental: boolean,
  ) {
    this.changes = new DayFactsAccumulator(timezone);
  }

  /** Called once the team row holds the document's timezone, before any item is written. */
  static async begin(tx: Db, teamId: number, timezone: string): Promise<DayFactsUpdate> {
    await lockDayFacts(tx, teamId);
    const built = await dayFactsTimezone(tx, teamId);
    if (built === timezone) return new DayFactsUpdate(teamId, timezone, true);
    // A new team's facts are complete while it has no items: every item adds its own.
    if (built === null && (await teamHasNoItems(tx, teamId))) {
      await markDayFacts(tx, teamId, timezone);
      return new DayFactsUpdate(teamId, timezone, true);
    }
    return new DayFactsUpdate(teamId, timezone, false);
  }

  added(itemType: string, transitions: readonly DayFactTransition[]): void {
    if (this.incremental) this.changes.addItem(itemType, transitions, 1);
  }

  removed(itemType: string, transitions: readonly DayFactTransition[]): void {
    if (this.incremental) this.changes.addItem(itemType, transitions, -1);
  }

  /** Something changed what every stored transition means (the workflow): rebuild at the end. */
  rebuildAll(): void {
    this.incremental = false;
  }

  get isIncremental(): boolean {
    return this.incremental;
  }

  async finish(tx: Db): Promise<void> {
    if (!this.incremental) {
      await rebuildDayFacts(tx, this.teamId, this.timezone);
      return;
    }
    await addDayFacts(tx, this.teamId, this.changes.statusFacts(), this.changes.wipFacts());
  }
}

/** Replaces the team's facts with ones computed from all its stored transitions. */
export async function rebuildDayFacts(tx: Db, teamId: number, timezone: string): Promise<void> {
  await lockDayFacts(tx, teamId);
  await dropDayFacts(tx, teamId);
  const facts = new DayFactsAccumulator(timezone);
  let after = 0;
  for (;;) {
    const rows = await listTransitionsForFacts(tx, teamId, after, REBUILD_PAGE_ITEMS);
    if (rows.length === 0) break;
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i]!.item_id !== rows[start]!.item_id) {
        const item = rows.slice(start, i).filter((r) => r.seq >= 0);
        if (item.length > 0) facts.addItem(rows[start]!.item_type, item, 1);
        start = i;
      }
    }
    after = rows[rows.length - 1]!.item_id;
  }
  await addDayFacts(tx, teamId, facts.statusFacts(), facts.wipFacts());
  await markDayFacts(tx, teamId, timezone);
}

/**
 * Builds the facts of every team that has none in its timezone (a database migrated from before
 * them): until then its metrics are computed from transitions, exactly but slower. Each team in
 * its own transaction; returns the keys of the teams built.
 */
export async function buildMissingDayFacts(db: Db): Promise<string[]> {
  const built: string[] = [];
  for (const team of await listTeamsWithoutDayFacts(db)) {
    const rebuilt = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      await lockDayFacts(tx, team.id);
      // An import may have built them, or changed the zone, while this waited.
      const timezone = await teamTimezone(tx, team.id);
      if (timezone === null || (await dayFactsTimezone(tx, team.id)) === timezone) return false;
      await rebuildDayFacts(tx, team.id, timezone);
      return true;
    });
    if (rebuilt) built.push(team.key);
  }
  return built;
}
