// Next.js calls register() once when a server process starts. Next sets NEXT_RUNTIME itself; the
// scheduler only runs in the Node.js runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { authSecret } = await import("./lib/env");
  try {
    authSecret();
  } catch (error) {
    // Refuse to serve rather than serve sessions nobody can trust.
    console.error(`throughline: ${(error as Error).message}`);
    process.exit(1);
  }
  const { getAppScheduler } = await import("./lib/jobs/app-scheduler");
  await getAppScheduler().catch(() => {});
}
