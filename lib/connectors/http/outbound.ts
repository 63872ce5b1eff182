// Every request the server makes to an address a user typed: only public addresses (checked when
// each connection is made, so a DNS answer cannot change between the check and the connect, and on
// every redirect hop), a size cap, a time cap, and errors that say what failed without telling an
// open port from a closed one or repeating a secret.
import "server-only";
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, fetch as undiciFetch, request } from "undici";
import { AppError } from "../../errors";

export interface OutboundPolicy {
  /** IPs or CIDR ranges reachable although not public (THROUGHLINE_FETCH_ALLOW). */
  allow: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function allowedByPolicy(ip: ipaddr.IPv4 | ipaddr.IPv6, allow: readonly string[]): boolean {
  for (const entry of allow) {
    if (entry.includes("/")) {
      const [range, bits] = ipaddr.parseCIDR(entry);
      if (range.kind() === ip.kind() && ip.match(range, bits)) return true;
    } else if (ipaddr.process(entry).toNormalizedString() === ip.toNormalizedString()) {
      return true;
    }
  }
  return false;
}

/** True for a public unicast address, or one the policy allows; loopback, private, link-local (cloud metadata) and the rest are refused. */
export function isReachableAddress(address: string, allow: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  return allowedByPolicy(ip, allow) || ip.range() === "unicast";
}

class RefusedAddress extends Error {}

function refusal(url: URL): AppError {
  return new AppError(
    "SOURCE_REFUSED",
    `${display(url)}: the host is not a public address, so the server will not fetch it (an admin can allow it with THROUGHLINE_FETCH_ALLOW)`,
    [{ where: "url", message: "not a public address" }],
  );
}

/** The URL as shown in messages: no user name, password or query (they may hold secrets). */
export function display(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function checkedLookup(allow: readonly string[]): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      if (addresses.length === 0 || addresses.some((a) => !isReachableAddress(a.address, allow))) return callback(new RefusedAddress(hostname));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}

function parseHttpUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError("INVALID_INPUT", "not a URL", [{ where: "url", message: "not a URL" }]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("SOURCE_REFUSED", `${url.protocol} URLs are not fetched: only http(s)`, [{ where: "url", message: "only http(s)" }]);
  }
  return url;
}

/** Hosts written as an address (and localhost) are never looked up, so they are checked here. */
export function checkUrlHost(url: URL, allow: readonly string[]) {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host) && !isReachableAddress(host, allow)) throw refusal(url);
  if (host === "localhost" || host.endsWith(".localhost")) {
    if (!isReachableAddress("127.0.0.1", allow)) throw refusal(url);
  }
}

function isRefused(error: unknown): boolean {
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof RefusedAddress) return true;
  }
  return false;
}

/** GETs a URL as text under the policy. The Authorization header is never sent to another origin. */
export async function fetchText(rawUrl: string, headers: Record<string, string>, policy: OutboundPolicy): Promise<string> {
  let url = parseHttpUrl(rawUrl);
  let sent = { ...headers };
  const agent = new Agent({ connect: { lookup: checkedLookup(policy.allow) } });
  // One deadline for every hop and the whole body; cleared at the end so nothing fires late.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), policy.timeoutMs);
  const signal = deadline.signal;
  try {
    for (let hop = 0; ; hop++) {
      checkUrlHost(url, policy.allow);
      let response;
      try {
        response = await request(url, { method: "GET", headers: sent, dispatcher: agent, signal });
      } catch (error) {
        if (isRefused(error)) throw refusal(url);
        if (signal.aborted) throw new AppError("SOURCE_FAILED", `${display(url)}: no answer within ${Math.round(policy.timeoutMs / 1000)} s`);
        throw new AppError("SOURCE_FAILED", `${display(url)}: could not connect`);
      }
      if (REDIRECTS.has(response.statusCode)) {
        await response.body.dump();
        const location = response.headers.location;
        if (hop >= MAX_REDIRECTS || typeof location !== "string") throw new AppError("SOURCE_FAILED", `${display(url)}: too many or broken redirects`);
        const next = parseHttpUrl(new URL(location, url));
        if (next.origin !== url.origin) {
          sent = { ...sent };
          delete sent.authorization;
        }
        url = next;
        continue;
      }
      if (response.statusCode >= 400) {
        await response.body.dump();
        throw new AppError("SOURCE_FAILED", `${display(url)} answered ${response.statusCode}`);
      }
      const declared = Number(response.headers["content-length"]);
      // Destroying the body makes undici report an abort on it: heard here, not as a crash.
      response.body.on("error", () => {});
      if (Number.isFinite(declared) && declared > policy.maxBytes) {
        response.body.destroy();
        throw tooLarge(url, policy.maxBytes);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > policy.maxBytes) {
            response.body.destroy();
            throw tooLarge(url, policy.maxBytes);
          }
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError("SOURCE_FAILED", signal.aborted ? `${display(url)}: no answer within ${Math.round(policy.timeoutMs / 1000)} s` : `${display(url)}: the answer broke off`);
      }
      return Buffer.concat(chunks).toString("utf8");
    }
  } finally {
    clearTimeout(timer);
    await agent.close().catch(() => {});
  }
}

export function tooLarge(url: URL | string, maxBytes: number): AppError {
  const where = typeof url === "string" ? url : display(url);
  return new AppError("TOO_LARGE", `${where}: larger than the limit of ${formatBytes(maxBytes)} (THROUGHLINE_FETCH_MAX_BYTES)`);
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

/**
 * A WHATWG `fetch` under the policy, for the trackers' official clients (Octokit, @linear/sdk) and
 * our own: each connection checked, redirects followed by hand so every hop is checked too (and
 * the Authorization header dropped on a change of origin), each response body capped at
 * `maxBytes` and each request (all hops and its body) bounded by `timeoutMs`.
 */
export function createGuardedFetch(policy: OutboundPolicy): typeof fetch {
  const agent = new Agent({ connect: { lookup: checkedLookup(policy.allow) } });
  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const first = input instanceof Request ? input : null;
    let url = parseHttpUrl(first ? first.url : input.toString());
    const method = (init.method ?? first?.method ?? "GET").toUpperCase();
    let headers = new Headers(init.headers ?? first?.headers);
    const body = init.body ?? (first && method !== "GET" && method !== "HEAD" ? await first.text() : undefined);
    const deadline = AbortSignal.timeout(policy.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    for (let hop = 0; ; hop++) {
      checkUrlHost(url, policy.allow);
      let response: Response;
      try {
        // undici's own fetch: the global one may be another copy that ignores this dispatcher.
        response = (await undiciFetch(url, { method, headers: Object.fromEntries(headers), body: body as never, redirect: "manual", signal, dispatcher: agent })) as unknown as Response;
      } catch (error) {
        if (isRefused(error)) throw refusal(url);
        if (deadline.aborted) throw new AppError("SOURCE_FAILED", `${display(url)}: no answer within ${Math.round(policy.timeoutMs / 1000)} s`);
        if (init.signal?.aborted) throw error;
        throw new AppError("SOURCE_FAILED", `${display(url)}: could not connect`);
      }
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get("location");
        if (hop >= MAX_REDIRECTS || !location) throw new AppError("SOURCE_FAILED", `${display(url)}: too many or broken redirects`);
        const next = parseHttpUrl(new URL(location, url));
        if (next.origin !== url.origin) {
          headers = new Headers(headers);
          headers.delete("authorization");
        }
        url = next;
        continue;
      }
      const declared = Number(response.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > policy.maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw tooLarge(url, policy.maxBytes);
      }
      if (!response.body) return response;
      let size = 0;
      const where = url;
      const capped = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            size += chunk.byteLength;
            if (size > policy.maxBytes) controller.error(tooLarge(where, policy.maxBytes));
            else controller.enqueue(chunk);
          },
        }),
      );
      return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
  };
  return guarded as typeof fetch;
}
