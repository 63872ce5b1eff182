// Next.js calls register() once when a server process starts. Next sets NEXT_RUNTIME itself; the
// start-up checks and the scheduler only run in the Node.js runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartup } = await import("./lib/startup");
  checkStartup();
  const { getAppScheduler } = await import("./lib/jobs/app-scheduler");
  await getAppScheduler().catch(() => {});
}
