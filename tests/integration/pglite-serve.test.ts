// The app's embedded database served to a guest (the CLI) over a unix socket: the gate keeps the
// guest's transactions and the app's apart, and a guest that vanishes leaves nothing open.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type Database } from "../../lib/db/client";
import { connectToServedPglite, servePglite, socketPathFor, type ServedSocket } from "../../lib/db/pglite-serve";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-serve-"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const signal = () => {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
};

describe("the app's embedded database served to the CLI", () => {
  let app: Database;
  let served: ServedSocket;
  const count = async (who: string, n: number) =>
    (await queryRows<{ c: number }>(app.db, sql`select count(*)::int as c from probe where who = ${who} and n = ${n}`))[0]!.c;
  const guest = async () => (await connectToServedPglite(served.path, 5_000))!;

  beforeAll(async () => {
    app = await openDatabase({ dataDir: "memory://", migrate: false });
    await app.pglite!.exec("create table probe (who text not null, n int not null)");
    served = await servePglite(app.pglite!, socketPathFor(path.join(tmp, "data")));
  });
  afterAll(async () => {
    await served.stop();
    await app.close();
  });

  it("listens on a socket only its user can reach, in the data folder", () => {
    expect(served.path).toBe(path.join(tmp, "data", "socket", ".s.PGSQL.5432"));
    expect(fs.statSync(served.path).isSocket()).toBe(true);
    expect(fs.statSync(served.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(served.path)).mode & 0o777).toBe(0o700);
    // Too long for a unix socket inside: a short private folder under the temp folder instead.
    const deep = socketPathFor(path.join(tmp, "d".repeat(120)));
    expect(deep.startsWith(os.tmpdir())).toBe(true);
    expect(Buffer.byteLength(deep)).toBeLessThanOrEqual(107);
  });

  it("keeps an app transaction and a guest's apart: neither sees the other's uncommitted rows", async () => {
    const cli = await guest();
    try {
      const events: string[] = [];
      const appInside = signal();
      const appTx = app.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe values ('app', 1)`);
        appInside.fire();
        await sleep(300); // the guest tries to begin meanwhile
        const guestRows = await queryRows(tx, sql`select 1 from probe where who = 'guest' and n = 1`);
        events.push(`app sees ${guestRows.length} guest rows`, "app commits");
      });
      await appInside.fired;
      const guestTx = cli.begin(async (tx) => {
        events.push("guest begins");
        events.push(`guest sees ${(await tx`select 1 from probe where who = 'app' and n = 1`).length} app rows`);
        await tx`insert into probe values ('guest', 1)`;
      });
      await Promise.all([appTx, guestTx]);
      expect(events).toEqual(["app sees 0 guest rows", "app commits", "guest begins", "guest sees 1 app rows"]);

      // The other way round: the app's reads and writes wait for the guest's COMMIT.
      const guestInside = signal();
      const mayCommit = signal();
      const guestTx2 = cli.begin(async (tx) => {
        await tx`insert into probe values ('guest', 2)`;
        guestInside.fire();
        await mayCommit.fired;
      });
      await guestInside.fired;
      let seen: number | null = null;
      const appRead = count("guest", 2).then((c) => (seen = c));
      const appWrite = app.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe values ('app', 2)`);
      });
      await sleep(300);
      expect(seen).toBeNull();
      mayCommit.fire();
      await Promise.all([guestTx2, appRead, appWrite]);
      expect(seen).toBe(1);
      expect(await count("app", 2)).toBe(1);
    } finally {
      await cli.end();
    }
  });

  it("a guest's failing transaction leaves the app's alone, and the other way round", async () => {
    const cli = await guest();
    try {
      const appInside = signal();
      const appTx = app.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe values ('app', 3)`);
        appInside.fire();
        await sleep(200);
        await tx.execute(sql`insert into probe values ('app', 3)`);
      });
      await appInside.fired;
      const failing = cli.begin(async (tx) => {
        await tx`insert into probe values ('guest', 3)`;
        await tx`select 1 / 0`;
      });
      await expect(failing).rejects.toThrow(/division by zero/);
      await appTx;
      expect(await count("app", 3)).toBe(2);
      expect(await count("guest", 3)).toBe(0);

      const guestInside = signal();
      const guestTx = cli.begin(async (tx) => {
        await tx`insert into probe values ('guest', 4)`;
        guestInside.fire();
        await sleep(200);
        await tx`insert into probe values ('guest', 4)`;
      });
      await guestInside.fired;
      const appFailing = app.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe values ('app', 4)`);
        await tx.execute(sql`select 1 / 0`);
      });
      await expect(appFailing).rejects.toThrow();
      await guestTx;
      expect(await count("guest", 4)).toBe(2);
      expect(await count("app", 4)).toBe(0);
      expect(await cli`select 1 as one`).toEqual([{ one: 1 }]);

      // A failed multi-statement exec leaves the session in an aborted block until its caller rolls
      // back (pg-boss does, next): a guest arriving in between does not inherit it.
      await expect(app.pglite!.exec("begin; insert into probe values ('app', 7); select 1 / 0; commit")).rejects.toThrow(/division by zero/);
      expect(await cli`select count(*)::int as c from probe where n = 7`).toEqual([{ c: 0 }]);
      await app.pglite!.query("rollback");
    } finally {
      await cli.end();
    }
  });

  it("rolls back a guest killed in mid-transaction, and the app goes on", async () => {
    const script = `
      import postgres from "postgres";
      const sql = postgres({ path: process.env.SOCKET, max: 1, prepare: false, user: "postgres", database: "postgres", onnotice() {} });
      await sql.begin(async (tx) => {
        await tx\`insert into probe values ('killed', 5)\`;
        process.stdout.write("inside\\n");
        await new Promise(() => {});
      });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, SOCKET: served.path }, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (data: Buffer) => data.toString().includes("inside") && resolve());
      child.once("exit", (code) => reject(new Error(`the guest exited (${code}) before its insert`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await count("killed", 5)).toBe(0);
    await app.db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe values ('app', 5)`);
    });
    expect(await count("app", 5)).toBe(1);
    const cli = await guest();
    expect(await cli`select count(*)::int as c from probe where who = 'killed'`).toEqual([{ c: 0 }]);
    await cli.end();
  });

  it("rolls back a guest gone while the session skips to a Sync after an error", async () => {
    const int32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const frame = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(4 + body.length), body]);
    const z = (s: string) => Buffer.from(`${s}\0`);
    const params = Buffer.concat([int32(196608), z("user"), z("postgres"), z("database"), z("postgres"), Buffer.from([0])]);
    const startup = Buffer.concat([int32(4 + params.length), params]);
    const socket = net.connect(served.path);
    const replies: string[] = [];
    socket.on("data", (data: Buffer) => replies.push(data.toString("latin1")));
    const answered = async (text: string) => {
      for (let i = 0; i < 100 && !replies.join("").includes(text); i++) await sleep(20);
    };
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(startup);
    await answered("Z\0\0\0\x05I");
    socket.write(frame("Q", z("begin; insert into probe values ('skipped', 6)")));
    await answered("Z\0\0\0\x05T");
    // An extended query that fails, with no Sync: the session now ignores everything but a Sync.
    socket.write(Buffer.concat([frame("P", Buffer.concat([z(""), z("select 1 / 0"), Buffer.from([0, 0])])), frame("B", Buffer.concat([z(""), z(""), Buffer.from([0, 0, 0, 0, 0, 0])])), frame("E", Buffer.concat([z(""), int32(0)])), frame("H", Buffer.alloc(0))]));
    await answered("division by zero");
    socket.destroy();
    expect(await count("skipped", 6)).toBe(0);
    expect(app.pglite!.isInTransaction()).toBe(false);
  });

  it("serves one guest at a time: the next waits for its turn", async () => {
    const first = await guest();
    let second: Sql | null = null;
    const waiting = connectToServedPglite(served.path, 10_000).then((client) => (second = client));
    await sleep(400);
    expect(second).toBeNull();
    await first.end();
    await waiting;
    expect(await second!`select 1 as one`).toEqual([{ one: 1 }]);
    await second!.end();
  });
});
