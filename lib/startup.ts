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

const PATCHED = Symbol.for("throughline.abortReasonStacks");

/**
 * Works around an upstream leak (react/react#37288, vercel/next.js#84648): React aborts each render's
 * cache signal with an Error whose unread stack holds frames, and their receivers (an Immediate
 * linked to the next ones queued) reach later renders: ~500 finished requests stayed alive under load.
 * Reading `.stack` once keeps the same text and drops the frames.
 */
export function formatAbortReasonStacks(): void {
  const proto = AbortController.prototype as AbortController & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const abort = proto.abort;
  proto.abort = function (this: AbortController, reason?: unknown) {
    abort.call(this, reason);
    // The reason given, or the DOMException Node makes for a bare abort().
    const kept: unknown = this.signal.reason;
    if (kept instanceof Error) void kept.stack;
  };
  proto[PATCHED] = true;
}
