// The app's embedded database, served to the CLI over a unix socket in the data folder, so the CLI
// works while the app runs. PGlite is one Postgres session: a gate makes each guest's unit of work
// (a statement, or BEGIN … COMMIT) exclusive against the app's own queries and transactions.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import { AppError } from "../errors";

/** Postgres's own name, so `psql -h <data folder>/socket -U postgres postgres` finds it too. */
const SOCKET_NAME = ".s.PGSQL.5432";
/** sun_path holds 108 bytes on Linux and 104 on macOS, the closing NUL included. */
const MAX_SOCKET_PATH = process.platform === "darwin" ? 103 : 107;

/** Where the app serving `dataDir` listens; app and CLI both derive it, so no pointer file can go stale. */
export function socketPathFor(dataDir: string): string {
  const folder = path.resolve(dataDir);
  const inside = path.join(folder, "socket", SOCKET_NAME);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  // A deep data folder: a short private folder under the temp folder, named after the data folder.
  const hash = crypto.createHash("sha256").update(folder).digest("hex").slice(0, 16);
  return path.join(os.tmpdir(), `throughline-${hash}`, SOCKET_NAME);
}

/** Whoever can connect is a database superuser: the socket's folder must be this user's alone. */
function isPrivateFolder(folder: string): boolean {
  try {
    const stat = fs.lstatSync(folder);
    return stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid()) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

// --- The gate -----------------------------------------------------------------------------------

/** What PGLiteSocketServer calls on its `db` (pglite-socket 0.2.17: server, handler, query queue). */
export interface PgliteGate {
  readonly waitReady: Promise<void>;
  /** True while a guest holds the gate: the server then runs only that guest's messages, and on its disconnect calls exec(). */
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<void>;
  /** The socket server's clean-up of a vanished client in mid-transaction (it passes "ROLLBACK"). */
  exec(query: string): Promise<void>;
  /** Rolls back whatever a guest left open and lets the app's work go on. Never throws. */
  abandon(): Promise<void>;
  /** Refuses further guest messages (the server is stopping). */
  close(): void;
}

const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const QUERY = 0x51; // 'Q'
const SYNC_MESSAGE = 0x53; // 'S'

function message(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}
const cstring = (s: string) => new TextEncoder().encode(`${s}\0`);
const simpleQuery = (sql: string) => message("Q", cstring(sql));
const SYNC = message("S", new Uint8Array(0));

/**
 * What a server answers when it cannot run `request`: an ErrorResponse where a reply is awaited
 * (a startup, a Query, a Sync) and then ReadyForQuery, on which the client rejects the query.
 */
function refusal(request: Uint8Array, severity: "ERROR" | "FATAL", sqlstate: string, text: string): Uint8Array[] {
  if (request[0] !== 0 && request[0] !== QUERY && request[0] !== SYNC_MESSAGE) return [];
  const fields = [cstring(`S${severity}`), cstring(`V${severity}`), cstring(`C${sqlstate}`), cstring(`M${text}`), new Uint8Array([0])];
  const body = new Uint8Array(fields.reduce((n, f) => n + f.length, 0));
  fields.reduce((at, f) => (body.set(f, at), at + f.length), 0);
  const error = message("E", body);
  return request[0] === 0 ? [error] : [error, message("Z", new TextEncoder().encode("I"))];
}

/** Follows backend messages across chunks; `status` is the last ReadyForQuery's ('I', 'T' or 'E'). */
function readyStatus() {
  const header: number[] = [];
  let skip = 0;
  let readStatus = false;
  const state = {
    status: null as string | null,
    feed(chunk: Uint8Array) {
      let i = 0;
      while (i < chunk.length) {
        if (skip > 0) {
          if (readStatus) {
            state.status = String.fromCharCode(chunk[i]!);
            readStatus = false;
          }
          const n = Math.min(skip, chunk.length - i);
          skip -= n;
          i += n;
          continue;
        }
        header.push(chunk[i++]!);
        if (header.length === 5) {
          skip = (((header[1]! << 24) | (header[2]! << 16) | (header[3]! << 8) | header[4]!) >>> 0) - 4;
          readStatus = header[0] === READY_FOR_QUERY && skip > 0;
          header.length = 0;
        }
      }
    },
  };
  return state;
}

/**
 * The app's PGlite as the socket server sees it. The socket server only takes PGlite's query mutex
 * per wire message, while the app's query(), exec() and transaction() take the transaction mutex
 * first: so a guest could run inside the app's transaction and vice versa. The gate takes that
 * transaction mutex at a guest's first message and keeps it until the server reports the session
 * idle again (ReadyForQuery 'I'): a guest's BEGIN … COMMIT is exclusive, and so is each statement.
 */
export function gatePglite(pglite: PGlite): PgliteGate {
  let release: (() => void) | null = null;
  let closed = false;
  // Messages and clean-ups one at a time: a clean-up may arrive while a message runs.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };

  const hold = () =>
    new Promise<() => void>((held) => {
      void pglite._runExclusiveTransaction(() => new Promise<void>((done) => held(done)));
    });
  const letGo = () => {
    release?.();
    release = null;
  };
  /** Runs one message on the session; resolves with its last ReadyForQuery status, if any. */
  const run = async (bytes: Uint8Array, onRawData: (data: Uint8Array) => void = () => {}) => {
    const tracker = readyStatus();
    await pglite.runExclusive(() =>
      pglite.execProtocolRawStream(bytes, {
        onRawData: (data) => {
          tracker.feed(data);
          onRawData(data);
        },
      }),
    );
    return tracker.status;
  };
  const rollBack = async () => {
    if (!release) return;
    try {
      let status = await run(simpleQuery("ROLLBACK"));
      // No answer: the session was skipping to a Sync after an error in an extended query.
      if (status === null) status = await run(SYNC);
      if (status !== "I") await run(simpleQuery("ROLLBACK"));
    } catch (error) {
      console.error("throughline: rolling back a CLI's open transaction failed:", error instanceof Error ? error.message : error);
    } finally {
      letGo();
    }
  };

  return {
    get waitReady() {
      return pglite.waitReady;
    },
    isInTransaction: () => release !== null,
    // The socket server wraps each message in this; execProtocolRawStream takes the locks itself.
    runExclusive: (fn) => fn(),
    execProtocolRawStream: (bytes, { onRawData }) =>
      serial(async () => {
        if (bytes[0] === TERMINATE) return rollBack();
        const stopping = () => refusal(bytes, "FATAL", "57P01", "the app is shutting down").forEach(onRawData);
        if (closed) return stopping();
        try {
          if (!release) {
            release = await hold();
            if (closed) {
              letGo();
              return stopping();
            }
            // A block left open by the app between its calls (a failed multi-statement exec, which
            // pg-boss rolls back next) is no guest's to inherit.
            if (pglite.isInTransaction()) await run(simpleQuery("ROLLBACK"));
          }
          if ((await run(bytes, onRawData)) === "I") letGo();
        } catch (error) {
          // Answer as a server would: a throw here would stall the socket server's queue for good.
          await rollBack();
          refusal(bytes, "ERROR", "XX000", error instanceof Error ? error.message : String(error)).forEach(onRawData);
        }
      }),
    exec: () => serial(rollBack),
    abandon: () => serial(rollBack),
    close: () => {
      closed = true;
    },
  };
}

// --- The app's side -----------------------------------------------------------------------------

export interface ServedSocket {
  path: string;
  stop(): Promise<void>;
}

/** Serves `pglite` on a unix socket (never TCP): one guest connection at a time, through the gate. */
export async function servePglite(pglite: PGlite, socketPath: string): Promise<ServedSocket> {
  if (process.platform === "win32") throw new Error("serving the embedded database needs unix sockets");
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) throw new Error(`the socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes`);
  const folder = path.dirname(socketPath);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(folder);
  if (!stat.isDirectory() || (process.getuid !== undefined && stat.uid !== process.getuid())) {
    throw new Error(`${folder} is not a folder of this user's`);
  }
  fs.chmodSync(folder, 0o700);
  // This process holds the data folder's lock, so a socket file there is a crashed app's.
  fs.rmSync(socketPath, { force: true });

  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const gate = gatePglite(pglite);
  // One guest at a time: the gate is one lock, and the socket server tells guests apart only by
  // its own bookkeeping. A second CLI is turned away at connect and retries (connectToServedPglite).
  const server = new PGLiteSocketServer({ db: gate as unknown as PGlite, path: socketPath, maxConnections: 1 });
  await server.start();
  fs.chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    stop: async () => {
      gate.close();
      await server.stop();
      await gate.abandon();
    },
  };
}

// --- The CLI's side -----------------------------------------------------------------------------

const WAIT_FOR_TURN_MS = 60_000;
const TURNED_AWAY = new Set(["EPIPE", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED"]);

/**
 * A postgres.js client on the running app's socket, or null when nothing answers there (an older
 * app, a crashed one, or a CLI holding the folder). Waits while another CLI command has its turn.
 */
export async function connectToServedPglite(socketPath: string, waitMs = WAIT_FOR_TURN_MS): Promise<Sql | null> {
  if (!isPrivateFolder(path.dirname(socketPath)) || !fs.existsSync(socketPath)) return null;
  const { default: postgres } = await import("postgres");
  const deadline = Date.now() + waitMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    const client = postgres({
      path: socketPath,
      max: 1,
      // Named statements would outlive this connection in the app's one session.
      prepare: false,
      // PGlite takes any names and no password; explicit, so PGUSER and friends change nothing.
      user: "postgres",
      database: "postgres",
      pass: "",
      ssl: false,
      // Connecting waits for the gate too, behind the app's longest transaction.
      connect_timeout: 60,
      onnotice: () => {},
      connection: { application_name: "throughline-cli" },
    });
    try {
      await client`select 1`;
      return client;
    } catch (error) {
      await client.end({ timeout: 0 }).catch(() => {});
      const code = (error as { code?: string }).code;
      if (code === "ECONNREFUSED" || code === "ENOENT") return null;
      const busy = new AppError("DATABASE_BUSY", "The running app's embedded database is busy (another throughline command, or a long transaction of the app's): try again when it has finished.");
      if (code === "CONNECT_TIMEOUT") throw busy;
      // Turned away (another guest's turn): the server closes the connection before any answer.
      if (!TURNED_AWAY.has(code ?? "")) throw error;
      if (Date.now() + pause > deadline) throw busy;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
