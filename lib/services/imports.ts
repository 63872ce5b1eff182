// Imports from the command line (work history, KPI files, the demo): admins and the system only.
import "server-only";
import { canAdminister } from "../auth/permissions";
import { hasAnyTeam, loadDemo } from "../demo/load";
import { buildMissingBlockedFacts } from "../ingest/blocked-facts";
import { buildMissingDayFacts } from "../ingest/day-facts";
import { importHistory } from "../ingest/history";
import { importKpis, type KpiBatch } from "../ingest/kpi";
import type { HistorySource } from "../ingest/source";
import { allow, type ServiceContext } from "./context";

export async function importWorkHistory(ctx: ServiceContext, source: HistorySource) {
  allow(canAdminister(ctx.actor));
  return importHistory(ctx.db, source);
}

export async function importKpiBatch(ctx: ServiceContext, batch: KpiBatch) {
  allow(canAdminister(ctx.actor));
  return importKpis(ctx.db, batch);
}

export async function loadDemoData(ctx: ServiceContext, seed: number) {
  allow(canAdminister(ctx.actor));
  return loadDemo(ctx.db, { seed, now: ctx.now });
}

/** On an empty database, the demo (the quick start lands on a working product). */
/**
 * Day-level facts (lib/ingest/day-facts.ts) and items' blocked facts (lib/ingest/blocked-facts.ts)
 * for the teams of a database migrated from before them; returns the teams that got either.
 */
export async function buildMissingFacts(ctx: ServiceContext): Promise<string[]> {
  allow(canAdminister(ctx.actor));
  const day = await buildMissingDayFacts(ctx.db);
  const blocked = await buildMissingBlockedFacts(ctx.db);
  return [...new Set([...day, ...blocked])];
}

export async function loadDemoIfEmpty(ctx: ServiceContext, seed: number) {
  allow(canAdminister(ctx.actor));
  return (await hasAnyTeam(ctx.db)) ? null : loadDemo(ctx.db, { seed, now: ctx.now });
}
