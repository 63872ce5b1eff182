// Keeps each item's blocked facts (lib/metrics/compute/blocked-time.ts, blockedFactsOf) equal to
// its transitions and blocks: every write of either refreshes the items it touched, in its own
// transaction, under the team's facts lock.
import "server-only";
import type { Db } from "../db/client";
import type { CopyWriter } from "../db/copy";
import {
  blockedFactsBuilt,
  listItemBlockHistories,
  listTeamsWithoutBlockedFacts,
  type ItemBlockHistory,
  markBlockedFacts,
  replaceBlockedFacts,
} from "../db/queries/blocked-facts";
import { lockDayFacts } from "../db/queries/day-facts";
import { blockedFactsOf, type BlockedFacts } from "../metrics/compute/blocked-time";

/** Items read or written per statement. */
const PAGE_ITEMS = 2_000;

/**
 * Recomputes the facts of `itemIds`, or of all the team's items when null or when the team's facts
 * were never built (then marks them built). The caller's transaction holds what it wrote; `copy`,
 * its COPY writer where it has one.
 */
export async function refreshBlockedFacts(tx: Db, teamId: number, itemIds: readonly number[] | null, copy: CopyWriter | null = null): Promise<void> {
  // An import and a roadblock answered at once must not each compute from what the other has not
  // yet committed.
  await lockTeamFacts(tx, teamId);
  if (itemIds !== null && (await blockedFactsBuilt(tx, teamId))) {
    const ids = [...new Set(itemIds)].sort((a, b) => a - b);
    for (let offset = 0; offset < ids.length; offset += PAGE_ITEMS) {
      const page = ids.slice(offset, offset + PAGE_ITEMS);
      await replaceBlockedFacts(tx, teamId, page, factsOf(await listItemBlockHistories(tx, teamId, page)));
    }
    return;
  }
  // The whole team in one read: a team's histories fit in memory (an item is a few small rows).
  await replaceBlockedFacts(tx, teamId, null, []);
  const facts = factsOf(await listItemBlockHistories(tx, teamId, null));
  if (copy) await replaceBlockedFacts(tx, teamId, [], facts, copy);
  else for (let offset = 0; offset < facts.length; offset += PAGE_ITEMS) await replaceBlockedFacts(tx, teamId, [], facts.slice(offset, offset + PAGE_ITEMS));
  await markBlockedFacts(tx, teamId);
}

function factsOf(items: readonly ItemBlockHistory[]): { itemId: number; facts: BlockedFacts }[] {
  const facts: { itemId: number; facts: BlockedFacts }[] = [];
  for (const item of items) {
    // An item has blocked time only once started (its state is not todo).
    if (item.category === "todo") continue;
    // Its last change: nothing but the open spell moves after it.
    let validFrom = item.lastAt.getTime();
    for (const span of item.spans) validFrom = Math.max(validFrom, span.start.getTime(), span.end?.getTime() ?? -Infinity);
    const f = blockedFactsOf({
      validFrom: new Date(validFrom),
      startedAt: item.startedAt,
      finishedAt: item.category === "done" ? item.finishedAt : null,
      spans: item.spans,
    });
    if (f) facts.push({ itemId: item.itemId, facts: f });
  }
  return facts;
}

/**
 * Takes the team's facts lock (held until the transaction ends), as an import does at its start:
 * a change that will refresh blocked facts takes it before writing anything, so it never waits
 * for an import while holding rows that import needs.
 */
export async function lockTeamFacts(tx: Db, teamId: number): Promise<void> {
  // The day-level facts' lock: one per team for every kind of facts.
  await lockDayFacts(tx, teamId);
}

/** Builds the blocked facts of every team that has none (a database migrated from before them). */
export async function buildMissingBlockedFacts(db: Db): Promise<string[]> {
  const built: string[] = [];
  for (const team of await listTeamsWithoutBlockedFacts(db)) {
    const rebuilt = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      // An import may have built them while this waited.
      await lockTeamFacts(tx, team.id);
      if (await blockedFactsBuilt(tx, team.id)) return false;
      await refreshBlockedFacts(tx, team.id, null);
      return true;
    });
    if (rebuilt) built.push(team.key);
  }
  return built;
}
