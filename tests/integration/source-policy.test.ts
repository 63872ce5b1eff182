// What a scheduled source may reach: the holes an import schedule opened are closed.
import dns from "node:dns/promises";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetch, fetchText, isReachableAddress } from "../../lib/connectors/http/outbound";
import { readKpiSource, type SourcePolicy } from "../../lib/connectors/kpi-feed";
import type { Database } from "../../lib/db/client";
import { createSchedule } from "../../lib/jobs/schedules";
import { readKpiText } from "../../lib/ingest/kpi";
import { engines } from "../helpers/db";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-policy-"));
const importDir = path.join(tmp, "imports");
fs.mkdirSync(importDir);
fs.writeFileSync(path.join(importDir, "mrr.csv"), "kpi,date,value\nmrr,2026-05-01,10\n");
fs.writeFileSync(path.join(tmp, "secret.txt"), "DATABASE_URL=postgres://user:hunter2@db/prod\n");
fs.symlinkSync(path.join(tmp, "secret.txt"), path.join(importDir, "link.csv"));

const closed: SourcePolicy = { importDir, allow: [], maxBytes: 1024, timeoutMs: 5_000 };
const loopback: SourcePolicy = { ...closed, allow: ["127.0.0.1"] };

interface Seen {
  path: string;
  authorization?: string;
}

/** A local HTTP server whose handler the test chooses; records what it was sent. */
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { seen, port, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("addresses the server may fetch", () => {
  it("refuses loopback, private, link-local (metadata), unique-local, mapped and unspecified addresses", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::"]) {
      expect(isReachableAddress(a, []), a).toBe(false);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"]) expect(isReachableAddress(a, []), a).toBe(true);
  });

  it("reaches what the configuration allows, by address or range", () => {
    expect(isReachableAddress("127.0.0.1", ["127.0.0.1"])).toBe(true);
    expect(isReachableAddress("10.20.30.40", ["10.0.0.0/8"])).toBe(true);
    expect(isReachableAddress("::ffff:10.20.30.40", ["10.0.0.0/8"])).toBe(true);
    expect(isReachableAddress("192.168.0.1", ["10.0.0.0/8"])).toBe(false);
  });
});

describe("fetching a scheduled URL", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    other = await serve((_req, res) => res.end("kpi,date,value\nmrr,2026-05-01,1\n"));
    server = await serve((req, res) => {
      if (req.url === "/to-loopback-2") res.writeHead(302, { location: `http://127.0.0.2:${other.port}/` }).end();
      else if (req.url === "/to-other-origin") res.writeHead(302, { location: `${other.url}/data.csv` }).end();
      else if (req.url === "/same-origin") res.writeHead(301, { location: "/data.csv" }).end();
      else if (req.url === "/big") res.end("x".repeat(5_000));
      else if (req.url === "/big-declared") res.writeHead(200, { "content-length": "100000000" }).end();
      else if (req.url === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else res.end("kpi,date,value\nmrr,2026-05-01,1\n");
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it("refuses 127.0.0.1 by default, written as an address or as localhost, and says so without probing", async () => {
    await expect(fetchText(`${server.url}/data.csv`, {}, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED", message: expect.stringMatching(/not a public address/) });
    await expect(fetchText(`http://localhost:${server.port}/`, {}, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    // A name the resolver turns into a loopback address (this machine's own name, in /etc/hosts on
    // Debian) is refused when the connection is made.
    const own = await dns.lookup(os.hostname()).catch(() => null);
    if (own && !isReachableAddress(own.address, [])) {
      await expect(fetchText(`http://${os.hostname()}:${server.port}/`, {}, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    }
    await expect(fetchText(`http://[::1]:${server.port}/`, {}, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    expect(server.seen).toHaveLength(0);
    await expect(fetchText("file:///etc/passwd", {}, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
  });

  it("checks every redirect hop, and never sends the Authorization header to another origin", async () => {
    await expect(fetchText(`${server.url}/to-loopback-2`, {}, loopback)).rejects.toMatchObject({ code: "SOURCE_REFUSED", message: expect.stringContaining("127.0.0.2") });
    expect(await fetchText(`${server.url}/same-origin`, { authorization: "Bearer s3cret" }, loopback)).toMatch(/^kpi,date,value/);
    expect(server.seen.at(-1)).toMatchObject({ path: "/data.csv", authorization: "Bearer s3cret" });
    await fetchText(`${server.url}/to-other-origin`, { authorization: "Bearer s3cret" }, loopback);
    expect(other.seen.at(-1)).toMatchObject({ path: "/data.csv", authorization: undefined });
    await expect(fetchText(`${server.url}/loop`, {}, loopback)).rejects.toMatchObject({ code: "SOURCE_FAILED", message: expect.stringMatching(/redirects/) });
  });

  it("stops reading at the size cap, declared or not", async () => {
    await expect(fetchText(`${server.url}/big`, {}, loopback)).rejects.toMatchObject({ code: "TOO_LARGE", status: 413 });
    await expect(fetchText(`${server.url}/big-declared`, {}, loopback)).rejects.toMatchObject({ code: "TOO_LARGE" });
  });

  it("says the same about a closed port as about an unreachable host: could not connect", async () => {
    const gone = await serve((_req, res) => res.end());
    await gone.close();
    await expect(fetchText(`${gone.url}/`, {}, loopback)).rejects.toMatchObject({ code: "SOURCE_FAILED", message: `http://127.0.0.1:${gone.port}/: could not connect` });
  });

  it("sends only THROUGHLINE_SECRET_* variables as the Authorization header", async () => {
    for (const name of ["DATABASE_URL", "AUTH_SECRET", "PATH"]) {
      await expect(readKpiSource({ kind: "url", location: `${server.url}/data.csv`, authEnv: name }, loopback)).rejects.toMatchObject({
        code: "INVALID_INPUT",
        message: expect.stringContaining("THROUGHLINE_SECRET_"),
      });
    }
    process.env.THROUGHLINE_SECRET_TEST_FEED = "Bearer feed-token";
    await readKpiSource({ kind: "url", location: `${server.url}/data.csv`, authEnv: "THROUGHLINE_SECRET_TEST_FEED" }, loopback);
    expect(server.seen.at(-1)?.authorization).toBe("Bearer feed-token");
  });
});

describe("the fetch the tracker clients use", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    other = await serve((_req, res) => res.end("{}"));
    server = await serve((req, res) => {
      if (req.url === "/to-loopback-2") res.writeHead(302, { location: `http://127.0.0.2:${other.port}/` }).end();
      else if (req.url === "/to-other-origin") res.writeHead(307, { location: `${other.url}/x` }).end();
      else if (req.url === "/big") res.end("x".repeat(5_000));
      else if (req.url === "/big-chunked") {
        res.write("x".repeat(800));
        res.end("x".repeat(800));
      } else if (req.url === "/slow") setTimeout(() => res.end("late"), 2_000);
      else if (req.method === "POST") req.pipe(res);
      else res.writeHead(404).end("nothing here");
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it("refuses loopback by default, on the first request and on every redirect hop", async () => {
    await expect(createGuardedFetch(closed)(`${server.url}/`)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    expect(server.seen).toHaveLength(0);
    await expect(createGuardedFetch(loopback)(`${server.url}/to-loopback-2`)).rejects.toMatchObject({ code: "SOURCE_REFUSED", message: expect.stringContaining("127.0.0.2") });
  });

  it("passes statuses and bodies through, and drops Authorization on a change of origin", async () => {
    const guarded = createGuardedFetch(loopback);
    const missing = await guarded(`${server.url}/missing`);
    expect([missing.status, await missing.text()]).toEqual([404, "nothing here"]);
    const echoed = await guarded(`${server.url}/echo`, { method: "POST", body: '{"q":1}', headers: { authorization: "Bearer s3cret" } });
    expect(await echoed.text()).toBe('{"q":1}');
    expect(server.seen.at(-1)?.authorization).toBe("Bearer s3cret");
    await (await guarded(`${server.url}/to-other-origin`, { headers: { authorization: "Bearer s3cret" } })).text();
    expect(other.seen.at(-1)).toMatchObject({ path: "/x", authorization: undefined });
  });

  it("caps the body and the time", async () => {
    // Node's server declares the length of a small body, so this one is refused before reading.
    await expect(createGuardedFetch(loopback)(`${server.url}/big`).then((r) => r.text())).rejects.toMatchObject({ code: "TOO_LARGE" });
    const chunked = await createGuardedFetch(loopback)(`${server.url}/big-chunked`);
    await expect(chunked.text()).rejects.toMatchObject({ code: "TOO_LARGE" });
    await expect(createGuardedFetch({ ...loopback, timeoutMs: 200 })(`${server.url}/slow`)).rejects.toMatchObject({ code: "SOURCE_FAILED", message: expect.stringMatching(/no answer within/) });
  });
});

describe("reading a scheduled file", () => {
  it("reads regular files inside the import folder only (links followed, then checked)", async () => {
    expect(await readKpiSource({ kind: "file", location: "mrr.csv" }, closed)).toMatch(/^kpi,date,value/);
    expect(await readKpiSource({ kind: "file", location: path.join(importDir, "mrr.csv") }, closed)).toMatch(/mrr/);
    for (const location of [path.join(tmp, "secret.txt"), "../secret.txt", "/etc/passwd", "link.csv"]) {
      await expect(readKpiSource({ kind: "file", location }, closed), location).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    }
    await expect(readKpiSource({ kind: "file", location: "." }, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    await expect(readKpiSource({ kind: "file", location: "nope.csv" }, closed)).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
  });

  it("never repeats what it read in an error", async () => {
    fs.writeFileSync(path.join(importDir, "not-json.json"), '{"DATABASE_URL": "postgres://user:hunter2@db/prod" x}');
    const text = await readKpiSource({ kind: "file", location: "not-json.json" }, closed);
    const error = await readKpiText("not-json.json", text).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/not-json\.json: .*not valid JSON/);
    expect((error as Error).message).not.toContain("hunter2");
    fs.writeFileSync(path.join(importDir, "passwd.json"), "{root:x:0:0:root:/root:/bin/bash}");
    const other = await readKpiText("passwd.json", fs.readFileSync(path.join(importDir, "passwd.json"), "utf8")).catch((e: Error) => e);
    expect((other as Error).message).not.toContain("root:x");
  });
});

describe.each(engines())("adding a schedule on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.close());

  it("refuses secrets outside THROUGHLINE_SECRET_*, files outside the import folder and loopback URLs", async () => {
    const base = { name: "feed", cron: "0 6 * * *" };
    for (const authEnv of ["DATABASE_URL", "AUTH_SECRET"]) {
      await expect(createSchedule(database.db, { ...base, url: "https://example.com/mrr.csv", authEnv }, closed)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    }
    await expect(createSchedule(database.db, { ...base, file: "/etc/passwd" }, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    await expect(createSchedule(database.db, { ...base, url: "http://127.0.0.1:5432/" }, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    await expect(createSchedule(database.db, { ...base, url: "http://169.254.169.254/latest/meta-data/" }, closed)).rejects.toMatchObject({ code: "SOURCE_REFUSED" });
    const ok = await createSchedule(database.db, { ...base, file: "mrr.csv", authEnv: undefined }, closed);
    expect(ok.source).toBe("mrr.csv");
  });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
