// The one database connection of a process: Postgres when DATABASE_URL is set, else embedded PGlite.
import "server-only";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { env } from "../env";
import { AppError } from "../errors";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  engine: "postgres" | "pglite";
  url?: string;
  close(): Promise<void>;
  /** The embedded engine, for code that must talk to it directly (the job scheduler). */
  pglite?: PGlite;
  /**
   * Set when this process is the running app's guest: the same embedded database (engine "pglite"),
   * reached over the app's socket, with no `pglite` handle (the app runs the scheduler).
   */
  socket?: string;
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded database is used. */
  url?: string;
  /** Folder of the embedded database; "memory://" keeps it in memory (tests). */
  dataDir?: string;
  /** Apply pending migrations from drizzle/ (default true). */
  migrate?: boolean;
  /** postgres.js pool size. */
  max?: number;
  /** Serve the embedded folder to the CLI over a unix socket while open (the app's server does). */
  serve?: boolean;
}

export function migrationsFolder(): string {
  return path.join(env().THROUGHLINE_HOME, "drizzle");
}

export function defaultDataDir(): string {
  return path.resolve(env().THROUGHLINE_HOME, env().THROUGHLINE_DATA_DIR);
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const database = options.url ? await openPostgres(options.url, options.max) : await openPglite(options.dataDir ?? defaultDataDir(), options.serve);
  if (options.migrate !== false) await migrateDatabase(database);
  return database;
}

/**
 * postgres.js's TCP socket with Nagle's algorithm off. With it on, the last small message after a
 * large write (a COPY's end) waits for the server's delayed ACK, some 40 ms each time; postgres.js
 * has no option for it, only this hook. A unix socket (`?host=/path`) needs none: left to postgres.js.
 */
async function noDelaySocket(options: { host: string[]; port: number[]; path?: string | false }) {
  const socket = options.path ? net.connect(options.path) : net.connect({ host: options.host[0], port: options.port[0]!, noDelay: true });
  await once(socket, "connect");
  return socket;
}

async function openPostgres(url: string, max = 10): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  // `socket` is a documented option its types leave out. JIT off for the session: our queries
  // run in tens of milliseconds, and on a large team's quality report compiling took 40 ms of 390.
  const client = postgres(url, { max, onnotice: () => {}, connection: { jit: "off" }, ...({ socket: noDelaySocket } as object) });
  const db = drizzle({ client, schema }) as unknown as Db;
  (await import("./copy")).enableCopy(db);
  return { db, engine: "postgres", url, close: () => client.end({ timeout: 5 }) };
}

/**
 * Postgres's default shared_buffers (128 MB) lives inside PGlite's WebAssembly memory, which never
 * shrinks: on the app's server it was a third of the resident set. The OS caches the files behind
 * the buffers: the demo's seven metrics took no measurably longer with 32 MB (on a noisy machine),
 * and at 16 MB the server's WebAssembly memory under load fell from 51 to 33 MB resident (the demo's
 * database is 64 MB on disk; bench/RESULTS.md times its metrics at this setting).
 */
const PGLITE_SETTINGS = ["-c", "shared_buffers=16MB"];

async function openPglite(dataDir: string, serve = false): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const inMemory = dataDir.startsWith("memory://");
  let releaseLock = () => {};
  if (!inMemory) {
    // PGlite does not create its parent folder, and two processes on one folder corrupt it.
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      releaseLock = lockDataDir(dataDir);
    } catch (error) {
      // The holder may be an app that serves the folder: then be its guest (but never as an app:
      // its scheduler needs PGlite in this process, and its pool would keep the CLI out).
      const busy = error instanceof AppError && error.code === "DATABASE_BUSY";
      const guest = busy && !serve ? await openServedPglite(dataDir) : null;
      if (guest) return guest;
      throw error;
    }
  }
  const pglite = await PGlite.create({ ...(inMemory ? {} : { dataDir }), startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  const db = drizzle({ client: pglite, schema }) as unknown as Db;
  const served = serve && !inMemory ? await serveSafely(pglite, dataDir) : null;
  return {
    db,
    engine: "pglite",
    pglite,
    close: async () => {
      await served?.stop();
      await pglite.close();
      releaseLock();
    },
  };
}

async function serveSafely(pglite: PGlite, dataDir: string) {
  const { servePglite, socketPathFor } = await import("./pglite-serve");
  try {
    return await servePglite(pglite, socketPathFor(dataDir));
  } catch (error) {
    // The app works without it; only the CLI must then wait for the app to stop.
    console.warn(`throughline: the CLI cannot use the embedded database while the app runs: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** The running app's embedded database over its socket, or null when the holder serves none. */
async function openServedPglite(dataDir: string): Promise<Database | null> {
  const { connectToServedPglite, socketPathFor } = await import("./pglite-serve");
  const socket = socketPathFor(dataDir);
  const client = await connectToServedPglite(socket);
  if (!client) return null;
  const { drizzle } = await import("drizzle-orm/postgres-js");
  // Not marked for COPY (lib/db/copy.ts): PGlite behind the socket has no COPY FROM STDIN.
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, engine: "pglite", socket, close: () => client.end({ timeout: 5 }) };
}

function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "throughline.pid");
  try {
    const holder = Number(fs.readFileSync(lockFile, "utf8"));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new AppError(
        "DATABASE_BUSY",
        `The embedded database in ${dataDir} is in use by process ${holder} (a running app?). Stop it first, or set DATABASE_URL to use a Postgres server.`,
      );
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  const release = () => {
    try {
      if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Applies pending migrations; `folder` is for tests that replay an older migration set. */
export async function migrateDatabase(database: Database, folder = migrationsFolder()): Promise<void> {
  if (database.engine === "postgres") {
    if (!database.url) throw new Error("postgres database without a URL");
    await migratePostgres(database.url, folder);
  } else {
    // Also right for a guest on the app's socket (postgres.js): both drivers' migrators are the same
    // dialect code on the given session, and the app's gate makes the migration exclusive.
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: folder });
  }
}

async function migratePostgres(url: string, folder: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Several processes may start at once (app instances, test workers): one migrates at a time,
  // holding a session lock on its own single connection.
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7347110)`;
    await migrate(drizzle({ client }), { migrationsFolder: folder });
    await client`select pg_advisory_unlock(7347110)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Rows of a raw query, whichever driver ran it. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

const GLOBAL_KEY = Symbol.for("throughline.database");
const SERVE_KEY = Symbol.for("throughline.serve-database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database>; [SERVE_KEY]?: boolean };

/**
 * Called once by the app's server at boot (instrumentation.ts): its embedded database is served to
 * the CLI from then on, and opened now, so the CLI finds the app's socket before the first request.
 */
export function serveEmbeddedDatabase(): void {
  (globalThis as GlobalWithDb)[SERVE_KEY] = true;
  // A failure here (the folder held by a CLI) is the first request's to report, when it retries.
  if (!env().DATABASE_URL) getDatabase().catch(() => {});
}

/** The process-wide database (opened once: opening PGlite takes seconds). */
export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  if (!g[GLOBAL_KEY]) {
    g[GLOBAL_KEY] = openDatabase({ url: env().DATABASE_URL, serve: g[SERVE_KEY] === true }).catch((error: unknown) => {
      delete g[GLOBAL_KEY];
      throw error;
    });
  }
  return g[GLOBAL_KEY];
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
