// Large imports on Postgres go in with COPY … FROM STDIN: the same rows as INSERT, inside the import's transaction.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type Database, type Db } from "../../lib/db/client";
import { canCopy, copyBinary, CopyRows, copyWriter, enableCopy, type CopyColumn, type CopyValue } from "../../lib/db/copy";
import * as schema from "../../lib/db/schema";
import { env } from "../../lib/env";
import { importHistory } from "../../lib/ingest/history";
import { engines, teamFootprint, uniqueKey } from "../helpers/db";
import { sourceOf } from "../helpers/history";

// Texts an encoder could get wrong: tabs, newlines, backslashes, quotes, COPY's own markers, unicode.
const TRICKY = ["Re\tview", "line\nbreak\r\nand \\N not null", "back\\slash \\t \\\\", `"quoted" 'single' ,comma {brace}`, "ünïcødé ☃ 🚀 日本語", "\\."];
const WORKFLOW = [
  { status: "Backlog", category: "todo" },
  { status: TRICKY[0]!, category: "in_progress" },
  { status: TRICKY[1]!, category: "in_progress", blocked: true },
  { status: TRICKY[2]!, category: "in_progress" },
  { status: TRICKY[3]!, category: "in_progress" },
  { status: TRICKY[4]!, category: "done" },
  { status: TRICKY[5]!, category: "done", discarded: true },
];

/** Enough items that transitions and blocks both pass the COPY threshold (5,000 rows). */
function bigDoc(team: string, items = 700, blockReason = (i: number, b: number) => `${TRICKY[(i + b) % TRICKY.length]} #${b}`) {
  const hour = 3_600_000;
  const t0 = Date.parse("2026-01-05T08:00:00Z");
  return {
    version: 1,
    team: { key: team, name: team, timezone: "Europe/Berlin" },
    workflow: WORKFLOW,
    items: Array.from({ length: items }, (_, i) => {
      const at = (h: number) => new Date(t0 + (i + h) * hour).toISOString();
      const path = ["Backlog", ...TRICKY.slice(0, 5), TRICKY[2]!, TRICKY[3]!, i % 7 === 0 ? TRICKY[5]! : TRICKY[4]!];
      return {
        key: `${team}-${i}`,
        title: `Item ${i}`,
        type: "story",
        created_at: at(0),
        transitions: path.map((to, s) => ({ at: at(s * 3), to })),
        blocks: Array.from({ length: 8 }, (_, b) => ({ start: at(b), end: b === 7 ? null : at(b + 1), reason: b === 3 ? null : blockReason(i, b) })),
      };
    }),
  };
}

/** Every stored transition and block of a team, without ids, in a stable order. */
async function storedRows(db: Db, team: string) {
  const transitions = await queryRows<Record<string, unknown>>(
    db,
    sql`select i.key, x.seq, x.at, x.until, x.from_status, x.status, x.category, x.blocked, x.discarded, x.started_at, x.finished_at
        from transitions x join work_items i on i.id = x.item_id join teams t on t.id = x.team_id
        where t.key = ${team} order by i.key, x.seq`,
  );
  const blocks = await queryRows<Record<string, unknown>>(
    db,
    sql`select i.key, b.start, b."end", b.reason
        from blocks b join work_items i on i.id = b.item_id join teams t on t.id = b.team_id
        where t.key = ${team} order by i.key, b.id`,
  );
  const facts = await queryRows<Record<string, unknown>>(
    db,
    sql`select i.key, f.valid_from, f.blocked_ms, f.open_since, f.open_reasons, f.by_reason
        from item_blocked_facts f join work_items i on i.id = f.item_id join teams t on t.id = f.team_id
        where t.key = ${team} order by i.key`,
  );
  const plain = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
  return { transitions: plain(transitions), blocks: plain(blocks), facts: plain(facts) };
}

const BLOCK_COLUMNS: CopyColumn[] = [
  { name: "item_id", type: "int8" },
  { name: "team_id", type: "int4" },
  { name: "start", type: "timestamptz" },
  { name: "end", type: "timestamptz" },
  { name: "reason", type: "text" },
];

const rowsOf = (...rows: CopyValue[][]) => {
  const out = new CopyRows(BLOCK_COLUMNS);
  for (const row of rows) out.add(row);
  return out;
};

describe("copyBinary", () => {
  it("writes COPY's binary format and refuses a value its column cannot hold", () => {
    const data = copyBinary(BLOCK_COLUMNS, [[7, 1, new Date("2000-01-01T00:00:00.001Z"), null, "é"]]);
    expect(data.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
    // 19 bytes of header, 2 of field count, 12 (int8) + 8 (int4) + 12 (1 ms after Postgres's epoch = 1000 µs) + 4 (null) + 4 + 2 (é), 2 of trailer.
    expect(data.length).toBe(19 + 2 + 12 + 8 + 12 + 4 + 6 + 2);
    expect(data.readInt32BE(21 + 20 + 4 + 4)).toBe(1000);
    expect(() => copyBinary(BLOCK_COLUMNS, [[7, 1, "2026-01-01T00:00:00Z", null, null]])).toThrow(/start/);
    expect(() => copyBinary(BLOCK_COLUMNS, [[7.5, 1, new Date(), null, null]])).toThrow(/item_id/);
    expect(() => copyBinary(BLOCK_COLUMNS, [[7, 1, new Date(Number.NaN), null, null]])).toThrow(/invalid date/);
    expect(() => copyBinary(BLOCK_COLUMNS, [[7, 1, new Date()]])).toThrow(/3 fields/);
    // float8 as 8 bytes of IEEE 754; jsonb as its version byte (1) and the JSON text.
    const more = copyBinary(
      [
        { name: "ms", type: "float8" },
        { name: "doc", type: "jsonb" },
      ],
      [[1.5, '["é"]']],
    );
    expect(more.readInt32BE(21)).toBe(8);
    expect(more.readDoubleBE(25)).toBe(1.5);
    expect(more.readInt32BE(33)).toBe(1 + Buffer.byteLength('["é"]'));
    expect(more[37]).toBe(1);
    expect(more.subarray(38, 38 + Buffer.byteLength('["é"]')).toString("utf8")).toBe('["é"]');
    expect(() => copyBinary([{ name: "ms", type: "float8" }], [["1.5"]])).toThrow(/ms/);
  });
});

describe.each(engines())("COPY capability on $name", (engine) => {
  it(engine.name === "postgres" ? "is on for a database opened on a Postgres server" : "is off", async () => {
    const database = await engine.open();
    try {
      expect(canCopy(database.db)).toBe(engine.name === "postgres");
      if (engine.name === "pglite") await database.db.transaction(async (tx) => expect(copyWriter(database.db, tx as unknown as Db)).toBeNull());
    } finally {
      await database.close();
    }
  });
});

// Only where a Postgres server is given (CI sets DATABASE_URL), as engines() adds it.
describe.each(env().DATABASE_URL ? ["postgres"] : [])("imports with COPY on %s", () => {
  const log: { connection: number; query: string }[] = [];
  let client: postgres.Sql;
  let db: Db;
  let lite: Database;
  beforeAll(async () => {
    // A database like openPostgres's, whose postgres.js client reports every statement it sends.
    client = postgres(env().DATABASE_URL!, { max: 4, onnotice: () => {}, debug: (connection, query) => log.push({ connection, query }) });
    db = drizzle({ client, schema }) as unknown as Db;
    enableCopy(db);
    lite = await openDatabase({ dataDir: "memory://" });
  });
  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await lite?.close();
  });

  it("stores the very rows INSERT stores, text included, on the import transaction's connection", async () => {
    const team = uniqueKey("copy");
    const doc = bigDoc(team);
    log.length = 0;
    const summary = await importHistory(db, sourceOf(doc));
    expect(summary.counts).toMatchObject({ items: 700, created: 700, transitions: 700 * 9, blocks: 700 * 8 });

    const copies = log.filter((l) => /^copy (transitions|blocks|item_blocked_facts) /.test(l.query));
    expect(copies.map((c) => c.query.split(" ")[1])).toEqual(["transitions", "blocks", "item_blocked_facts"]);
    const begin = log.findIndex((l) => l.query.trim() === "begin");
    const commit = log.findIndex((l) => l.query === "commit");
    expect(begin).toBeGreaterThanOrEqual(0);
    const inTransaction = log.slice(begin, commit + 1);
    expect(inTransaction).toEqual(expect.arrayContaining(copies));
    expect(new Set(inTransaction.map((l) => l.connection))).toEqual(new Set([log[begin]!.connection]));

    // The same document through PGlite's INSERT path: row for row, character for character.
    await importHistory(lite.db, sourceOf(doc));
    const viaCopy = await storedRows(db, team);
    expect(viaCopy.transitions).toHaveLength(700 * 9);
    expect(viaCopy.facts.length).toBeGreaterThan(0);
    expect(viaCopy).toEqual(await storedRows(lite.db, team));
    const texts = new Set([...viaCopy.transitions.flatMap((t) => [t.status, t.from_status]), ...viaCopy.blocks.map((b) => String(b.reason).replace(/ #\d$/, ""))]);
    for (const text of TRICKY) expect(texts).toContain(text);
  });

  it("a COPY the server rejects fails the import and leaves nothing stored", async () => {
    const team = uniqueKey("copy-fail");
    // Postgres text cannot hold a NUL; the last block's reason has one, so the blocks' COPY fails
    // after the transitions' COPY went in.
    const doc = bigDoc(team, 700, (i, b) => (i === 699 && b === 6 ? "bad\u0000" : "ok"));
    log.length = 0;
    await expect(importHistory(db, sourceOf(doc))).rejects.toThrow(/invalid byte sequence|0x00/);
    expect(log.some((l) => l.query.startsWith("copy transitions"))).toBe(true);
    expect(log.some((l) => l.query === "rollback")).toBe(true);
    expect(await teamFootprint(db, team)).toMatchObject({ teams: 0, statuses: 0, items: 0, transitions: 0, blocks: 0 });
    // The connection is not left in a failed transaction: the same import without the NUL works.
    const fixed = await importHistory(db, sourceOf(bigDoc(team, 700, () => "ok")));
    expect(fixed.counts).toMatchObject({ created: 700, transitions: 700 * 9, blocks: 700 * 8 });
  });

  it("a rejected row after the stream's end fails the COPY instead of hanging", async () => {
    const team = uniqueKey("copy-raw");
    const [row] = await client<{ id: number }[]>`insert into teams (key, name) values (${team}, ${team}) returning id`;
    const teamId = row!.id;
    try {
      const attempt = db.transaction(async (tx) => {
        const copy = copyWriter(db, tx as unknown as Db)!;
        await copy("blocks", rowsOf([1, teamId, new Date("2026-01-01T00:00:00Z"), null, "kept?"]));
        // A start is required: the server finds out only once it reads the row.
        await copy("blocks", rowsOf([1, teamId, null, null, null]));
      });
      await expect(attempt).rejects.toThrow(/not-null/);
      const [count] = await client<{ n: number }[]>`select count(*)::int as n from blocks where team_id = ${teamId}`;
      expect(count!.n).toBe(0);
    } finally {
      await client`delete from teams where id = ${teamId}`;
    }
  });
});
