// What a server process checks before it serves anything (called from instrumentation.ts).
import { authSecret } from "./env";

export function checkStartup(): void {
  try {
    authSecret();
  } catch (error) {
    // Refuse to serve rather than serve sessions nobody can trust.
    console.error(`throughline: ${(error as Error).message}`);
    process.exit(1);
  }
}
