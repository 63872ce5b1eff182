// Next.js calls register() once when a server process starts. Next sets NEXT_RUNTIME and NEXT_PHASE
// itself; the start-up checks and the scheduler run in the Node.js server, not while building (a
// build needs no AUTH_SECRET, and must not hold the embedded database the server will open).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { checkStartup, formatAbortReasonStacks } = await import("./lib/startup");
  checkStartup();
  formatAbortReasonStacks();
  // This server is the process that opens the embedded database: it serves it to the CLI.
  const { serveEmbeddedDatabase } = await import("./lib/db/client");
  serveEmbeddedDatabase();
  const { getAppScheduler } = await import("./lib/jobs/app-scheduler");
  await getAppScheduler().catch(() => {});
}
