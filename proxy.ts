// Every request passes here before routing, static files included (hence no matcher): an unknown
// Host or a malformed address stops with a plain 400; everything else goes on with the security
// headers. The headers are set here, not in next.config.mjs headers(), because that list is fixed
// at build time and THROUGHLINE_FRAME_ANCESTORS is read when the server starts. Nothing here
// protects a server action: each one checks its caller itself.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "./lib/env";
import { oversizedBody, requestRefusal, securityHeaders } from "./lib/http/request-guard";
import { cachedSharedResponse, guardSharedView, RENDER_HEADER, RENDER_SECRET } from "./lib/services/entries-share";

/** An expired or revoked share link answers 410 with no data; pages cannot set that status. */
const SHARE_PATH = /^\/s\/([A-Za-z0-9_-]{16,64})(?:\/|$)/;
const GONE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Link expired · Throughline</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>This link has expired</h1>
<p data-testid="share-gone">The shared view at this address has expired or was revoked by the person who shared it. Ask them for a new link.</p></body></html>`;

export async function proxy(request: NextRequest) {
  const settings = env();
  const { pathname, search } = request.nextUrl; // still percent-encoded
  // This server asking itself for a share page it will keep (lib/services/entries-share.ts).
  if (request.headers.get(RENDER_HEADER) === RENDER_SECRET) return withHeaders(NextResponse.next(), settings);
  const refusal = requestRefusal({ host: request.headers.get("host"), pathname, search }, settings.THROUGHLINE_HOSTS);
  const oversized = refusal ? undefined : oversizedBody(request.headers.get("content-length"));
  let response = refusal
    ? new NextResponse(`${refusal}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } })
    : oversized
      ? new NextResponse(`${oversized}\n`, { status: 413, headers: { "Content-Type": "text/plain; charset=utf-8", Connection: "close" } })
      : NextResponse.next();
  const share = refusal ? null : SHARE_PATH.exec(pathname);
  if (share) {
    const guard = await guardSharedView(share[1]!, request.headers);
    if (guard.retryAfterSeconds !== undefined) {
      response = new NextResponse("too many requests\n", { status: 429, headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(guard.retryAfterSeconds) } });
    } else if (guard.state === "gone") {
      response = new NextResponse(GONE_PAGE, { status: 410, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
    } else if (guard.state === "live" && request.method === "GET" && !request.headers.has("rsc") && !request.headers.has("next-router-prefetch")) {
      // A whole page or image, not a client navigation's data request: from the cache of rendered views.
      // The page is a visit; its image, fetched by a chat tool to unfurl it, is not.
      const countsAsVisit = pathname === share[0] || pathname === `${share[0]}/`;
      const cached = await cachedSharedResponse(request.nextUrl, request.headers.get("host") ?? "", guard, { countsAsVisit });
      if (cached) response = new NextResponse(cached.body, { status: cached.status, headers: { "Content-Type": cached.contentType, "Cache-Control": "private, no-store" } });
    }
    // Not for search engines, whatever answers.
    response.headers.set("X-Robots-Tag", "noindex, nofollow");
  }
  return withHeaders(response, settings);
}

function withHeaders(response: NextResponse, settings: ReturnType<typeof env>): NextResponse {
  // Sign-in with GitHub or OIDC posts a form that is redirected to the provider: form-action must allow it.
  const formTargets: string[] = [];
  if (settings.AUTH_GITHUB_ID) formTargets.push("https://github.com");
  if (settings.AUTH_OIDC_ISSUER) formTargets.push(new URL(settings.AUTH_OIDC_ISSUER).origin);
  const headers = securityHeaders({ frameAncestors: settings.THROUGHLINE_FRAME_ANCESTORS, formTargets, dev: settings.NODE_ENV === "development" });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
