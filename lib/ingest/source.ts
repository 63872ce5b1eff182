// What every reader of work history (JSON, NDJSON, flow CSV, connectors) hands to the importer.
import type { ErrorDetail } from "../errors";

/** One item as read, not yet validated; or the reader's own complaint about it. */
export type RawItem = { where: string; value: unknown; error?: undefined } | { where: string; error: string; value?: undefined };

export interface HistorySource {
  /** Shown in errors and the import run, e.g. the file name. */
  name: string;
  /** The document without its items (team, workflow, milestones, version). */
  header: unknown;
  /** Items in document order; read once, so a large import never sits in memory whole. */
  items: AsyncIterable<RawItem> | Iterable<RawItem>;
  /** Items the reader passed over on purpose, with the reason (counted in the run). */
  skipped?: () => Record<string, number>;
}

export function describe(details: readonly ErrorDetail[]): string {
  const first = details[0];
  if (!first) return "invalid input";
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? "s" : ""})` : "";
  return `${first.where}: ${first.message}${more}`;
}

/**
 * JSON.parse's reason without the piece of the document V8 quotes in it ('Unexpected token 'r',
 * "root:x:0:0"... is not valid JSON'): an error must not repeat what a file or URL held.
 */
export function jsonMessage(error: unknown): string {
  return (error as Error).message
    .replace(/, ".*" is not valid JSON$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/\s*\(line \d+ column \d+\)$/, "");
}
