import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { importRuns, type ImportCounts } from "../db/schema";

export type ImportKind = "history" | "kpi";

export async function startImportRun(db: Db, kind: ImportKind, source: string, teamKey?: string, scheduleId?: number): Promise<number> {
  const [run] = await db.insert(importRuns).values({ kind, source, teamKey, scheduleId }).returning({ id: importRuns.id });
  return run!.id;
}

export async function finishImportRun(
  db: Db,
  id: number,
  outcome: { status: "succeeded"; counts: ImportCounts; teamKey?: string } | { status: "failed"; error: string; counts?: ImportCounts },
): Promise<void> {
  await db
    .update(importRuns)
    .set({
      status: outcome.status,
      finishedAt: new Date(),
      counts: outcome.counts ?? {},
      error: outcome.status === "failed" ? outcome.error : null,
      ...(outcome.status === "succeeded" && outcome.teamKey ? { teamKey: outcome.teamKey } : {}),
    })
    .where(eq(importRuns.id, id));
}

export async function listImportRuns(db: Db, limit = 50) {
  return db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(limit);
}
