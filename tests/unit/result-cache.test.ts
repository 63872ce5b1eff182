import { describe, expect, it } from "vitest";
import { AsyncLocalStorage } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ResultCache } from "../../lib/services/result-cache";

// gc() for the test below: V8 exposes it to contexts made after the flag is set.
setFlagsFromString("--expose-gc");

describe("ResultCache", () => {
  it("computes once for callers that ask while it is under way, and for later ones", async () => {
    const cache = new ResultCache(10);
    let runs = 0;
    let release!: (v: number) => void;
    const compute = () => {
      runs++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const waiting = [cache.get("a", compute), cache.get("a", compute), cache.get("a", compute)];
    release(42);
    expect(await Promise.all(waiting)).toEqual([42, 42, 42]);
    expect(await cache.get("a", compute)).toBe(42);
    expect(runs).toBe(1);
  });

  it("forgets a failure, so the next caller computes again", async () => {
    const cache = new ResultCache(10);
    await expect(cache.get("a", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    await Promise.resolve();
    expect(await cache.get("a", () => Promise.resolve(1))).toBe(1);
  });

  it("keeps at most `max` results, dropping the oldest", async () => {
    const cache = new ResultCache(2);
    for (const key of ["a", "b", "c"]) await cache.get(key, () => Promise.resolve(key));
    expect(cache.size).toBe(2);
    let runs = 0;
    await cache.get("a", () => Promise.resolve(String(++runs)));
    await cache.get("c", () => Promise.resolve(String(++runs)));
    expect(runs).toBe(1);
  });
});

describe("ResultCache and the caller's async context", () => {
  it("does not keep the request that computed a result alive once it is settled", async () => {
    // On Node 22 a promise keeps the AsyncLocalStorage store it was made under (async_hooks); from
    // Node 24 the store lives elsewhere and this passes either way. The cache outlives requests.
    const gc = runInNewContext("gc", undefined) as () => void;
    const cache = new ResultCache(10);
    const requests = new AsyncLocalStorage<{ response: Uint8Array }>();
    let store: WeakRef<object> | undefined;
    await (async () => {
      const request = { response: new Uint8Array(1024) };
      store = new WeakRef(request);
      await requests.run(request, () => cache.get("a", async () => 42));
    })();
    await new Promise((r) => setTimeout(r, 0));
    gc();
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(store!.deref()).toBeUndefined();
    expect(await cache.get("a", () => Promise.resolve(0))).toBe(42);
  });
});
