// Imports from the command line (work history, KPI files, the demo): admins and the system only.
import "server-only";
import { canAdminister } from "../auth/permissions";
import { hasAnyTeam, loadDemo } from "../demo/load";
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
/** Day-level facts for the teams of a database migrated from before them (lib/ingest/day-facts.ts). */
export async function buildMissingFacts(ctx: ServiceContext): Promise<string[]> {
  allow(canAdminister(ctx.actor));
  return buildMissingDayFacts(ctx.db);
}

export async function loadDemoIfEmpty(ctx: ServiceContext, seed: number) {
  allow(canAdminister(ctx.actor));
  return (await hasAnyTeam(ctx.db)) ? null : loadDemo(ctx.db, { seed, now: ctx.now });
}
