// A database of its own for tests that read everything in it (the scheduler's ticks, KPI lists):
// PGlite in memory, or a new database beside DATABASE_URL, dropped afterwards.
import { randomBytes } from "node:crypto";
import { openDatabase, type Database } from "../../lib/db/client";
import { env } from "../../lib/env";

export interface FreshEngine {
  name: "pglite" | "postgres";
  /** The database, and on Postgres a second connection to it (a second worker). */
  open(): Promise<{ database: Database; second: Database; drop(): Promise<void> }>;
}

export function freshEngines(): FreshEngine[] {
  const list: FreshEngine[] = [
    {
      name: "pglite",
      open: async () => {
        const database = await openDatabase({ dataDir: "memory://" });
        return { database, second: database, drop: () => database.close() };
      },
    },
  ];
  const url = env().DATABASE_URL;
  if (url) {
    list.push({
      name: "postgres",
      open: async () => {
        const { default: postgres } = await import("postgres");
        const name = `test_digest_${randomBytes(4).toString("hex")}`;
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database ${name}`);
        const u = new URL(url);
        u.pathname = `/${name}`;
        const database = await openDatabase({ url: u.toString(), max: 4 });
        const second = await openDatabase({ url: u.toString(), max: 4, migrate: false });
        return {
          database,
          second,
          drop: async () => {
            await second.close();
            await database.close();
            await admin.unsafe(`drop database if exists ${name} with (force)`);
            await admin.end({ timeout: 5 });
          },
        };
      },
    });
  }
  return list;
}
