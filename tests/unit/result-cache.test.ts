import { describe, expect, it } from "vitest";
import { ResultCache } from "../../lib/services/result-cache";

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
