// Results computed once and shared: by every caller that asks while the computation is under way
// (fifty readers opening the same dashboard as a minute turns), and by later callers until evicted.

export class ResultCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly max: number) {}

  /** The result under `key`, computing it only when no caller holds or awaits one; a failure is not kept. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const held = this.entries.get(key);
    if (held) return held as Promise<T>;
    const pending = compute();
    this.entries.set(key, pending);
    // Oldest first out: a Map iterates in insertion order.
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
