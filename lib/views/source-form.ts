// What the "add a source" form posts, turned into a source's settings; and a sync's counts in words.
// Pure: the server action hands it the form, the CLI shares the wording.

/** Fields whose value is a comma-separated list. */
const LIST_FIELDS = new Set(["blockerLabels"]);
const UNSAFE_KEYS = new Set(["__proto__", "prototype", "constructor"]);
/** Fields whose value is yes/no. */
const BOOLEAN_FIELDS = new Set(["inProgress.assignment"]);

/**
 * The settings of the chosen kind: fields named `<kind>.<path>` (a dotted path nests, e.g.
 * `github.inProgress.label`); an empty field is left out so the connector's default applies.
 * Fields of the other kinds (the form holds every kind's, one shown at a time) are ignored.
 */
export function settingsFromForm(form: { get(name: string): unknown; keys(): Iterable<string> }): Record<string, unknown> {
  const kind = String(form.get("kind") ?? "");
  const settings: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    if (!name.startsWith(`${kind}.`)) continue;
    const path = name.slice(kind.length + 1);
    const raw = String(form.get(name) ?? "").trim();
    if (raw === "") continue;
    let value: unknown = raw;
    if (LIST_FIELDS.has(path)) {
      value = raw
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
    } else if (BOOLEAN_FIELDS.has(path)) {
      value = raw === "true" || raw === "on" || raw === "yes";
    }
    const keys = path.split(".");
    // A field is named by whoever posts the form: a path through `__proto__` would write onto
    // every object of the server.
    if (keys.some((k) => k === "" || UNSAFE_KEYS.has(k))) continue;
    let at = settings;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = value;
  }
  return settings;
}

export interface SyncCountsLike {
  fetched: number;
  mapped: number;
  stored: number;
  unchanged: number;
  skipped: number;
  deleted: number;
  cleaned: number;
}

/** Every layer's count, in the order a record passes them ("repaired" is the stored `cleaned`). */
export function describeSyncCounts(c: SyncCountsLike): string {
  return `fetched ${c.fetched}, mapped ${c.mapped}, stored ${c.stored}, unchanged ${c.unchanged}, skipped ${c.skipped}, deleted ${c.deleted}, repaired ${c.cleaned}`;
}
