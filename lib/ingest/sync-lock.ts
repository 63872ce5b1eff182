// One sync of a source at a time, across processes and on both engines (app instances, workers,
// the CLI): a run holds its source by a lease on its own sync_runs row, renewed by a heartbeat. A
// row, not an advisory lock: a session lock would not survive a connection pool handing the sync's
// queries to different connections, and a crashed holder leaves a row anyone can see and expire.
import "server-only";
import type { Db } from "../db/client";
import { claimSyncRun as claimRun, finishSyncRun, renewSyncLease, type SourceRow } from "../db/queries/sources";
import { AppError } from "../errors";

/** How long a run holds its source without a heartbeat: several missed beats, and a killed sync blocks the next for minutes only. */
export const SYNC_LEASE_MS = 3 * 60 * 1000;
export const SYNC_HEARTBEAT_MS = 30 * 1000;

export interface SyncLease {
  runId: number;
  /** Aborts when the caller's signal does, or when the lease is lost (the run was taken over as abandoned). */
  signal: AbortSignal;
  /** Stops the heartbeat and records the run's outcome. */
  finish(result: Parameters<typeof finishSyncRun>[2]): Promise<void>;
}

export interface ClaimOptions {
  full: boolean;
  signal?: AbortSignal;
  leaseMs?: number;
  heartbeatMs?: number;
}

/** Starts a run of the source, or refuses with SYNC_RUNNING while another run's lease is alive. */
export async function claimSyncRun(db: Db, source: Pick<SourceRow, "id" | "name">, options: ClaimOptions): Promise<SyncLease> {
  const leaseMs = options.leaseMs ?? SYNC_LEASE_MS;
  const claim = await claimRun(db, source.id, options.full, leaseMs);
  if (!claim.ok) {
    const { id, startedAt } = claim.running;
    throw new AppError("SYNC_RUNNING", `source ${source.name} is already syncing since ${startedAt.toISOString()} (run ${id}); try again when it has finished`, [
      { where: "source", message: `run ${id} is running` },
    ]);
  }
  const lost = new AbortController();
  const timer = setInterval(() => {
    renewSyncLease(db, claim.runId, leaseMs).then(
      (held) => {
        if (held) return;
        clearInterval(timer);
        lost.abort(new AppError("SYNC_RUNNING", `source ${source.name}: this sync (run ${claim.runId}) lost its lease to a later sync and stopped`));
      },
      // A missed beat (the database briefly away): the next one retries, and the lease outlasts several.
      () => {},
    );
  }, options.heartbeatMs ?? SYNC_HEARTBEAT_MS);
  // The heartbeat alone must not keep a CLI process alive.
  timer.unref();
  return {
    runId: claim.runId,
    signal: options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal,
    finish: async (result) => {
      clearInterval(timer);
      await finishSyncRun(db, claim.runId, result);
    },
  };
}
