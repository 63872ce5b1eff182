// The entry of a shared view (/s/{token}) and of the proxy's check of it. No session is read and
// none is needed: the token alone decides. Apart from entries.ts so the proxy loads no sign-in code.
import "server-only";
import { randomBytes } from "node:crypto";
import { cache } from "react";
import { getDatabase } from "../db/client";
import { clientAddressOf } from "./rate-limit";
import { countSharedViewVisit, guardShareRequest, openSharedView, type ShareGuard } from "./share-links";

/** Once per request: the page, its metadata and its image share one lookup and one visit count. */
export const sharedViewFor = cache(async (token: string, count: boolean) => {
  const database = await getDatabase();
  return openSharedView({ db: database.db, now: new Date() }, token, { count });
});

/** For the proxy: whether an /s/{token} request may go on, is dead (410) or comes too often (429). */
export async function guardSharedView(token: string, headers: Pick<Headers, "get">): Promise<ShareGuard> {
  const database = await getDatabase();
  return guardShareRequest({ db: database.db, now: new Date() }, token, clientAddressOf(headers));
}

/**
 * The proxy's own request for a page it will keep: marked with a secret of this process, so it is
 * rendered (not served from the cache, not counted twice, not limited) and nobody else can mark one.
 */
export const RENDER_HEADER = "x-throughline-render";
export const RENDER_SECRET = randomBytes(24).toString("base64url");
/** The Host the visitor used, for the page's absolute links (its Open Graph image). */
export const ORIGINAL_HOST_HEADER = "x-throughline-original-host";

interface Rendered {
  status: number;
  contentType: string;
  body: ArrayBuffer;
}

/**
 * Rendered share pages and images per address and version: a link posted in a channel is opened by
 * many at once, and its view changes only with its data (or each minute, for a rolling one). Small,
 * per process, and safe to lose.
 */
const rendered = new Map<string, { pending: Promise<Rendered | null> } | { value: Rendered }>();
const MAX_RENDERED = 64;

/**
 * A live link's response from the cache, rendering it once (by asking this server for it) when the
 * version is new. Null: render as usual (the cache could not be filled).
 */
export async function cachedSharedResponse(url: URL, host: string, guard: ShareGuard, options: { countsAsVisit: boolean }): Promise<Rendered | null> {
  const key = `${host}${url.pathname}${url.search}@${guard.version}`;
  const entry = rendered.get(key);
  if (entry) {
    rendered.delete(key);
    rendered.set(key, entry);
    const hit = "pending" in entry ? await entry.pending : entry.value;
    if (hit && options.countsAsVisit) {
      const database = await getDatabase();
      await countSharedViewVisit({ db: database.db, now: new Date() }, guard.linkId!);
    }
    return hit;
  }
  // Settled, the page alone is kept: a promise would keep the request it was made in (ResultCache says how).
  const pending = { pending: renderOnce(url, host) };
  rendered.set(key, pending);
  while (rendered.size > MAX_RENDERED) rendered.delete(rendered.keys().next().value!);
  const result = await pending.pending;
  if (rendered.get(key) === pending) {
    if (result) rendered.set(key, { value: result });
    else rendered.delete(key);
  }
  return result;
}

async function renderOnce(url: URL, host: string): Promise<Rendered | null> {
  // The address is this server's own (Next builds it from the listening host and port), but with the
  // scheme of X-Forwarded-Proto: behind a load balancer that ends TLS it says https, which `next
  // start` does not speak, and every visit would be rendered anew.
  const self = new URL(url);
  self.protocol = "http:";
  try {
    const response = await fetch(self, { headers: { [RENDER_HEADER]: RENDER_SECRET, [ORIGINAL_HOST_HEADER]: host }, signal: AbortSignal.timeout(30_000) });
    // Only a whole, good page is kept; anything else is rendered again for each visitor.
    if (response.status !== 200) return null;
    return { status: 200, contentType: response.headers.get("content-type") ?? "text/html; charset=utf-8", body: await response.arrayBuffer() };
  } catch {
    return null;
  }
}
