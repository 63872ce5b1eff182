// COPY … FROM STDIN: the fastest way to write many rows, on a real Postgres server only.
import "server-only";
import type { Writable } from "node:stream";
import type { Db } from "./client";

/**
 * Databases that may COPY, marked by whoever opened them. Opt-in: PGlite has no such stream, and
 * postgres.js talking to PGlite through a wire socket must not try it either.
 */
const copyCapable = new WeakSet<Db>();

export function enableCopy(db: Db): void {
  copyCapable.add(db);
}

export function canCopy(db: Db): boolean {
  return copyCapable.has(db);
}

/** The column types the writer encodes; an enum's binary form is its label, so it goes as text. */
export type CopyType = "int4" | "int8" | "float8" | "bool" | "text" | "jsonb" | "timestamptz";
export interface CopyColumn {
  name: string;
  type: CopyType;
}
export type CopyValue = string | number | boolean | Date | null;

/** Writes encoded rows into `table` with COPY; resolves with their number once the server has them all. */
export type CopyWriter = (table: string, rows: CopyRows) => Promise<number>;

/** The postgres.js API this file uses: the query object of a transaction's own connection. */
interface CopyQuery extends PromiseLike<unknown> {
  writable(): Promise<Writable>;
  reject: (error: unknown) => void;
}
interface TransactionSql {
  unsafe(query: string): CopyQuery;
  savepoint: unknown;
}

/**
 * A COPY writer that runs inside transaction `tx` of `db`, or null when `db` may not COPY (the
 * caller then writes with INSERT). Throws if `tx` is not a transaction: a COPY on another pooled
 * connection would escape the transaction's rollback.
 */
export function copyWriter(db: Db, tx: Db): CopyWriter | null {
  if (!canCopy(db)) return null;
  // drizzle's postgres-js transaction keeps postgres.js's sql of sql.begin(), which is bound to
  // the one reserved connection; only that scope has savepoint() and lacks begin().
  const client = (tx as unknown as { session?: { client?: Partial<TransactionSql> & { begin?: unknown } } }).session?.client;
  if (!client || typeof client.unsafe !== "function" || typeof client.savepoint !== "function" || client.begin !== undefined) {
    throw new Error("COPY needs the postgres.js connection of a transaction");
  }
  const sql = client as TransactionSql;
  return (table, rows) => copyRows(sql, table, rows);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

async function copyRows(sql: TransactionSql, table: string, rows: CopyRows): Promise<number> {
  if (rows.count === 0) return 0;
  const columns = rows.columns;
  for (const name of [table, ...columns.map((c) => c.name)]) if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  const data = rows.finish();
  const query = sql.unsafe(`copy ${table} (${columns.map((c) => `"${c.name}"`).join(", ")}) from stdin with (format binary)`);
  // postgres.js 3.4 never settles the stream when the server rejects rows after their end
  // (porsager/postgres#1173): the query's own reject still hears of it, so listen there too.
  const rejected = new Promise<never>((_, fail) => {
    const own = query.reject;
    query.reject = (error) => {
      own(error);
      fail(error);
    };
  });
  rejected.catch(() => {});
  const stream = await query.writable();
  const written = new Promise<void>((resolve, fail) => {
    stream.once("error", fail);
    stream.once("finish", resolve);
    stream.end(data);
  });
  await Promise.race([written, rejected]);
  return rows.count;
}

/** Postgres counts timestamps in microseconds from 2000-01-01, not from 1970. */
const PG_EPOCH_MS = 946_684_800_000;
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Rows in COPY's binary format, encoded as they are added (so the encoding can overlap other
 * work): no text to escape and no timestamps for the server to parse. A text with a NUL is refused
 * by Postgres, as every text with one is, so nothing is changed silently.
 */
export class CopyRows {
  count = 0;
  private buf = Buffer.allocUnsafe(64 * 1024);
  private at = 0;

  constructor(readonly columns: readonly CopyColumn[]) {
    this.at += SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, this.at); // flags
    this.buf.writeInt32BE(0, this.at + 4); // header extension
    this.at += 8;
  }

  add(row: readonly CopyValue[]): void {
    const columns = this.columns;
    if (row.length !== columns.length) throw new Error(`a COPY row has ${row.length} fields, expected ${columns.length}`);
    this.room(2);
    this.buf.writeInt16BE(columns.length, this.at);
    this.at += 2;
    for (let i = 0; i < columns.length; i++) {
      const v = row[i]!;
      const type = columns[i]!.type;
      if (v === null) {
        this.room(4);
        this.buf.writeInt32BE(-1, this.at);
        this.at += 4;
      } else if (type === "text" && typeof v === "string") {
        this.room(4 + v.length * 3);
        const length = this.buf.write(v, this.at + 4, "utf8");
        this.buf.writeInt32BE(length, this.at);
        this.at += 4 + length;
      } else if (type === "jsonb" && typeof v === "string") {
        // jsonb's binary form: a version byte (1), then the JSON text.
        this.room(5 + v.length * 3);
        const length = this.buf.write(v, this.at + 5, "utf8");
        this.buf.writeInt32BE(length + 1, this.at);
        this.buf[this.at + 4] = 1;
        this.at += 5 + length;
      } else if (type === "float8" && typeof v === "number") {
        this.room(12);
        this.buf.writeInt32BE(8, this.at);
        this.buf.writeDoubleBE(v, this.at + 4);
        this.at += 12;
      } else if (type === "int8" && typeof v === "number" && Number.isSafeInteger(v)) {
        this.int64(v);
      } else if (type === "int4" && typeof v === "number" && Number.isInteger(v)) {
        this.room(8);
        this.buf.writeInt32BE(4, this.at);
        this.buf.writeInt32BE(v, this.at + 4);
        this.at += 8;
      } else if (type === "bool" && typeof v === "boolean") {
        this.room(5);
        this.buf.writeInt32BE(1, this.at);
        this.buf[this.at + 4] = v ? 1 : 0;
        this.at += 5;
      } else if (type === "timestamptz" && v instanceof Date && Number.isFinite(v.getTime())) {
        this.int64((v.getTime() - PG_EPOCH_MS) * 1000);
      } else {
        throw new Error(`COPY column ${columns[i]!.name} (${type}) cannot hold ${v instanceof Date ? "an invalid date" : typeof v}`);
      }
    }
    this.count++;
  }

  /** The whole stream, trailer included; nothing may be added after. */
  finish(): Buffer {
    this.room(2);
    this.buf.writeInt16BE(-1, this.at);
    return this.buf.subarray(0, this.at + 2);
  }

  private int64(v: number) {
    this.room(12);
    const high = Math.floor(v / 0x1_0000_0000);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeInt32BE(high, this.at + 4);
    this.buf.writeUInt32BE(v - high * 0x1_0000_0000, this.at + 8);
    this.at += 12;
  }

  private room(n: number) {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}

export function copyBinary(columns: readonly CopyColumn[], rows: readonly (readonly CopyValue[])[]): Buffer {
  const out = new CopyRows(columns);
  for (const row of rows) out.add(row);
  return out.finish();
}
