// Flow CSV (one column per status, as kanban tools export) → the work-history document.
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { AppError } from "../../errors";
import type { HistorySource, RawItem } from "../../ingest/source";
import { isLocalDate, isValidTimeZone, zonedTimeToInstant } from "../../time/calendar";

export interface FlowCsvOptions {
  team: string;
  timezone: string;
  teamName?: string;
  /** Status names per category. Without any, the first column is todo, the last done, the rest in progress. */
  todo?: string[];
  inProgress?: string[];
  done?: string[];
  /** Statuses whose time counts as blocked. */
  blocked?: string[];
  /** Done statuses that mean "not delivered". */
  discarded?: string[];
}

const FIXED = ["key", "title", "type"];
const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export async function readFlowCsv(name: string, input: Readable, options: FlowCsvOptions): Promise<HistorySource> {
  if (!isValidTimeZone(options.timezone)) {
    throw new AppError("INVALID_INPUT", `--timezone: "${options.timezone}" is not an IANA timezone (e.g. Europe/Berlin)`);
  }
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }));
  const rows = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  let first: IteratorResult<{ record: string[]; info: { lines: number } }>;
  try {
    first = await rows.next();
  } catch (error) {
    throw csvError(name, error);
  }
  if (first.done) throw new AppError("IMPORT_INVALID", `${name}: the file is empty`, [{ where: name, message: "empty file" }]);
  const columns = first.value.record;
  const fixed = columns.slice(0, 3).map((c) => c.toLowerCase());
  if (FIXED.some((c, i) => fixed[i] !== c)) {
    throw new AppError("IMPORT_INVALID", `${name}: line 1: the header must start with key,title,type and then one column per status`, [
      { where: `${name}: line 1`, message: `found "${columns.slice(0, 3).join(",")}"` },
    ]);
  }
  const statuses = columns.slice(3);
  if (statuses.length === 0) {
    throw new AppError("IMPORT_INVALID", `${name}: line 1: no status columns after key,title,type`, [{ where: `${name}: line 1`, message: "no status columns" }]);
  }
  const header = {
    version: 1,
    team: { key: options.team, name: options.teamName, timezone: options.timezone },
    workflow: workflowFor(name, statuses, options),
  };

  const skipped: Record<string, number> = {};
  async function* items(): AsyncGenerator<RawItem> {
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await rows.next();
      } catch (error) {
        yield { where: "csv", error: csvError(name, error).message };
        return;
      }
      if (next.done) return;
      const { record, info } = next.value;
      const where = `line ${info.lines}`;
      if (record.length !== columns.length) {
        yield { where, error: `has ${record.length} columns, the header has ${columns.length}` };
        continue;
      }
      const transitions: { at: Date; to: string; column: number }[] = [];
      let bad: string | undefined;
      statuses.forEach((status, i) => {
        const cell = record[i + 3] ?? "";
        if (cell === "" || bad) return;
        const at = parseCell(cell, options.timezone);
        if (!at) bad = `column "${status}": "${cell}" is not a date or an instant`;
        else transitions.push({ at, to: status, column: i });
      });
      if (bad) {
        yield { where, error: bad };
        continue;
      }
      if (transitions.length === 0) {
        skipped["no status dates"] = (skipped["no status dates"] ?? 0) + 1;
        continue;
      }
      transitions.sort((a, b) => a.at.getTime() - b.at.getTime() || a.column - b.column);
      yield {
        where,
        value: {
          key: record[0],
          title: record[1],
          type: record[2] || "task",
          created_at: transitions[0]!.at.toISOString(),
          transitions: transitions.map((t) => ({ at: t.at.toISOString(), to: t.to })),
        },
      };
    }
  }
  return { name, header, items: items(), skipped: () => skipped };
}

function workflowFor(name: string, statuses: string[], o: FlowCsvOptions) {
  const named = [o.todo, o.inProgress, o.done].some((list) => list && list.length > 0);
  const categoryOf = (status: string, index: number) => {
    if (!named) return index === 0 ? "todo" : index === statuses.length - 1 ? "done" : "in_progress";
    if (o.todo?.includes(status)) return "todo";
    if (o.inProgress?.includes(status)) return "in_progress";
    if (o.done?.includes(status)) return "done";
    throw new AppError("IMPORT_INVALID", `${name}: line 1: status column "${status}" has no category; name it in --todo, --in-progress or --done`, [
      { where: `${name}: line 1`, message: `status "${status}" has no category` },
    ]);
  };
  return statuses.map((status, i) => ({
    status,
    category: categoryOf(status, i),
    blocked: o.blocked?.includes(status) ?? false,
    discarded: o.discarded?.includes(status) ?? false,
  }));
}

/** An instant with an offset, or a date / local time in the team's timezone. */
export function parseCell(cell: string, timeZone: string): Date | null {
  if (OFFSET_INSTANT.test(cell)) {
    const d = new Date(cell);
    return Number.isNaN(d.getTime()) || !isLocalDate(cell.slice(0, 10)) ? null : d;
  }
  const m = LOCAL_TIME.exec(cell);
  if (!m || !isLocalDate(m[1]!)) return null;
  const hour = Number(m[2] ?? 0);
  const minute = Number(m[3] ?? 0);
  const second = Number(m[4] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return zonedTimeToInstant(m[1]!, { hour, minute, second }, timeZone);
}

function csvError(name: string, error: unknown): AppError {
  const e = error as Error & { lines?: number };
  const where = `${name}: line ${e.lines ?? "?"}`;
  return new AppError("IMPORT_INVALID", `${where}: ${e.message}`, [{ where, message: e.message }]);
}
