// Results computed once and shared: by every caller that asks while the computation is under way
// (fifty readers opening the same dashboard as a minute turns), and by later callers until evicted.

/**
 * Under way, the promise; settled, the value alone. On Node 22 a promise carries the
 * AsyncLocalStorage store it was made under: kept past its request, it kept that request's render
 * alive (a heap snapshot after 500 dashboards held all 500 responses).
 */
type Entry = { pending: Promise<unknown> } | { value: unknown };

export class ResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max: number) {}

  /** The result under `key`, computing it only when no caller holds or awaits one; a failure is not kept. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const held = this.entries.get(key);
    if (held) return "pending" in held ? (held.pending as Promise<T>) : Promise.resolve(held.value as T);
    const pending = compute();
    const entry: Entry = { pending };
    this.entries.set(key, entry);
    // Oldest first out: a Map iterates in insertion order (replacing a key's value keeps its place).
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    pending.then(
      (value) => {
        if (this.entries.get(key) === entry) this.entries.set(key, { value });
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
