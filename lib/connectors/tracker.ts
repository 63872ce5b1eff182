// What every tracker connector (GitHub, Jira, Linear) gives the sync engine. A connector fetches
// and maps; it never touches the database. The engine stores each record's raw payload, so a
// mapping change re-derives the history from what was fetched, without fetching again.

export type StatusCategory = "todo" | "in_progress" | "done";

/** A status as the tracker lists it, with the category the tracker itself suggests. */
export interface TrackerStatus {
  /** The tracker's stable id (a rename keeps the id). */
  id: string;
  name: string;
  /** The tracker's own category mapped to ours, or null when it has none we can read. */
  suggested: StatusCategory | null;
  /** Whether the tracker marks it as a "won't do" end (Linear's canceled type, GitHub's not planned). */
  discarded?: boolean;
}

/** The status → category mapping of a source, reviewed and edited by an admin. Keyed by status id. */
export interface StatusMapping {
  [statusId: string]: { category: StatusCategory; blocked?: boolean; discarded?: boolean };
}

/** One item as fetched: its raw payload (everything the mapper needs, changelog included). */
export interface FetchedRecord {
  /** The tracker's stable id of the item (not its key, which changes when it moves). */
  id: string;
  /** The tracker's own last-update instant of the item, ISO 8601 with offset. */
  updatedAt: string;
  payload: unknown;
}

/** One page of an incremental fetch; `cursor` resumes after it (opaque to the engine, JSON-safe). */
export interface FetchedPage {
  records: FetchedRecord[];
  /** Where the next call resumes, or null after the last page. */
  cursor: unknown;
}

export interface FetchOptions {
  /** Only items updated at or after this instant (the engine subtracts its overlap window). */
  updatedSince: Date | null;
  /** Resume from a page cursor returned earlier (a sync killed halfway). */
  cursor?: unknown;
  signal?: AbortSignal;
}

export interface TrackerConnector {
  kind: "github" | "jira" | "linear";
  /** One cheap authenticated call: what the credentials can see, or an AppError saying why not. */
  testConnection(): Promise<{ description: string }>;
  /** Every status the items may use, with the tracker's suggested categories. */
  listStatuses(): Promise<TrackerStatus[]>;
  /** Pages of items updated since, each with its full history. */
  fetchPages(options: FetchOptions): AsyncIterable<FetchedPage>;
  /** The ids of every item in the source's scope now (for deletions and moves out of scope). */
  listIds(signal?: AbortSignal): Promise<Set<string>>;
}

/** A source's connector with the mapper for its payloads: what the sync engine runs. */
export interface SyncTarget {
  connector: TrackerConnector;
  map: (payload: unknown) => MappedRecord;
}

/** Why a fetched record did not become a work item (counted per reason, never dropped silently). */
export interface SkippedRecord {
  id: string;
  reason: string;
}

/** What the mapper made of one record; `cleaned` counts silent repairs (a NUL stripped from a title). */
export type MappedRecord =
  | {
      ok: true;
      item: {
        key: string;
        title: string;
        type: string;
        created_at: string;
        url: string | null;
        milestone: string | null;
        /**
         * Status changes in time order, by status id (the engine names each by the status list,
         * so a status renamed under the same id follows the id); `name` is the name the change
         * itself recorded, used when the id is no longer in the status list.
         */
        transitions: { at: string; statusId: string; name: string }[];
        blocks: { start: string; end: string | null; reason: string | null }[];
      };
      milestones: { key: string; name: string; due_on: string | null; shipped_at: string | null }[];
      cleaned: { reason: string; count: number }[];
    }
  | { ok: false; reason: string };

/** Strips NUL characters (Postgres text cannot hold them) and says how many went. */
export function stripNul(text: string): { text: string; removed: number } {
  let removed = 0;
  const out = text.replace(/\u0000/g, () => {
    removed++;
    return "";
  });
  return { text: out, removed };
}

/**
 * A payload Postgres can store: jsonb cannot hold a NUL character either, so every string (and
 * key) loses its NULs; the count goes into the run's record.
 */
export function payloadWithoutNul(value: unknown): { value: unknown; removed: number } {
  let removed = 0;
  const clean = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = stripNul(v);
      removed += r.removed;
      return r.text;
    }
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[clean(k) as string] = clean(x);
      return out;
    }
    return v;
  };
  return { value: clean(value), removed };
}
