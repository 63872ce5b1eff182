// Opens an import file as a HistorySource: JSON, NDJSON (first line the header) or flow CSV.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { AppError } from "../errors";
import { readFlowCsv, type FlowCsvOptions } from "../connectors/flow-csv";
import { jsonMessage, type HistorySource, type RawItem } from "./source";

export type HistoryFormat = "json" | "ndjson" | "csv";

export function assertReadableFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError("FILE_NOT_FOUND", `${file}: no such file`, [{ where: file, message: "no such file" }]);
  }
  if (!stat.isFile()) throw new AppError("FILE_NOT_FOUND", `${file}: not a file`, [{ where: file, message: "not a file" }]);
}

export function detectFormat(file: string): HistoryFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  if (ext === ".json") return "json";
  // Unknown extension: NDJSON starts with a header object that ends on its first line.
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString("utf8").trimStart();
    if (!head.startsWith("{")) return "csv";
    const firstLine = head.split("\n", 1)[0] ?? "";
    try {
      JSON.parse(firstLine);
      return head.length > firstLine.length ? "ndjson" : "json";
    } catch {
      return "json";
    }
  } finally {
    fs.closeSync(fd);
  }
}

export interface OpenHistoryOptions {
  format?: HistoryFormat;
  csv?: FlowCsvOptions;
}

export async function openHistoryFile(file: string, options: OpenHistoryOptions = {}): Promise<HistorySource> {
  assertReadableFile(file);
  const name = path.basename(file);
  const format = options.format ?? detectFormat(file);
  if (format === "csv") {
    if (!options.csv) throw new AppError("INVALID_INPUT", `${name}: a flow CSV needs the team (--team KEY) and its timezone (--timezone TZ)`);
    return readFlowCsv(name, fs.createReadStream(file), options.csv);
  }
  if (format === "ndjson") return openNdjson(file, name);
  return parseJsonDocument(name, fs.readFileSync(file, "utf8"));
}

/** A whole JSON document (a file, an upload, a request body). */
export function parseJsonDocument(name: string, text: string): HistorySource {
  const doc = parseJson(name, text, "");
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new AppError("IMPORT_INVALID", `${name}: the document must be a JSON object`, [{ where: name, message: "not a JSON object" }]);
  }
  const { items, ...header } = doc as Record<string, unknown>;
  if (!Array.isArray(items)) {
    throw new AppError("IMPORT_INVALID", `${name}: items: must be a list of work items`, [{ where: `${name}: items`, message: "must be a list of work items" }]);
  }
  return {
    name,
    header,
    items: items.map((value, i): RawItem => ({ where: `items[${i}]`, value })),
  };
}

async function openNdjson(file: string, name: string): Promise<HistorySource> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  let lineNo = 0;
  let header: unknown;
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new AppError("IMPORT_INVALID", `${name}: the file is empty`, [{ where: name, message: "empty file" }]);
    lineNo++;
    if (next.value.trim() === "") continue;
    header = parseJson(name, next.value, `line ${lineNo}: `);
    break;
  }
  async function* items(): AsyncGenerator<RawItem> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      lineNo++;
      const line = next.value;
      if (line.trim() === "") continue;
      try {
        yield { where: `line ${lineNo}`, value: JSON.parse(line) };
      } catch (error) {
        yield { where: `line ${lineNo}`, error: `not valid JSON (${jsonMessage(error)})` };
      }
    }
  }
  return { name, header, items: items() };
}

function parseJson(name: string, text: string, prefix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = `${name}: ${prefix}${jsonPosition(text, error)}`;
    throw new AppError("IMPORT_INVALID", `${where}: not valid JSON (${jsonMessage(error)})`, [{ where, message: "not valid JSON" }]);
  }
}

function jsonPosition(text: string, error: unknown): string {
  const message = (error as Error).message;
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(message);
  if (!pos) return text.trim() === "" ? "empty document" : "end of document";
  const before = text.slice(0, Number(pos[1]));
  const line = before.split("\n").length;
  return `line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
}
