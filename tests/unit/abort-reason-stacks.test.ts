import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { formatAbortReasonStacks } from "../../lib/startup";

// gc() for these tests: V8 exposes it to contexts made after the flag is set.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc", undefined) as () => void;

/**
 * Aborts a kept controller from a method of a large object, as React aborts a render's cache
 * signal from inside its work: the object is a receiver on the reason's stack.
 */
function abortFromAMethod(controller: AbortController, reason: "error" | "none"): WeakRef<object> {
  const render = {
    html: new Uint8Array(1 << 20),
    finish() {
      controller.abort(reason === "error" ? new Error("This render completed successfully.") : undefined);
    },
  };
  render.finish();
  return new WeakRef(render);
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    gc();
  }
  return ref.deref() === undefined;
}

describe("formatAbortReasonStacks", () => {
  formatAbortReasonStacks();

  it("lets the code that aborted a signal go, though the signal and its reason are kept", async () => {
    const controller = new AbortController();
    const render = abortFromAMethod(controller, "error");
    expect(await collected(render)).toBe(true);
    expect(controller.signal.aborted).toBe(true);
    // The reason and its stack are as they were.
    expect((controller.signal.reason as Error).message).toBe("This render completed successfully.");
    expect((controller.signal.reason as Error).stack).toContain("finish");
  });

  it("does the same for the DOMException of a bare abort()", async () => {
    const controller = new AbortController();
    const render = abortFromAMethod(controller, "none");
    expect(await collected(render)).toBe(true);
    expect((controller.signal.reason as DOMException).name).toBe("AbortError");
  });

  it("is installed once however often it is called, and still aborts", () => {
    const abort = AbortController.prototype.abort;
    formatAbortReasonStacks();
    expect(AbortController.prototype.abort).toBe(abort);
    const controller = new AbortController();
    let heard = 0;
    controller.signal.addEventListener("abort", () => heard++);
    controller.abort("because");
    controller.abort("again");
    expect([heard, controller.signal.reason]).toEqual([1, "because"]);
  });
});
