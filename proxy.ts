// Every request passes here before routing, static files included (hence no matcher): an unknown
// Host or a malformed address stops with a plain 400; everything else goes on with the security
// headers. The headers are set here, not in next.config.mjs headers(), because that list is fixed
// at build time and THROUGHLINE_FRAME_ANCESTORS is read when the server starts. Nothing here
// protects a server action: each one checks its caller itself.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "./lib/env";
import { requestRefusal, securityHeaders } from "./lib/http/request-guard";

export function proxy(request: NextRequest) {
  const settings = env();
  const { pathname, search } = request.nextUrl; // still percent-encoded
  const refusal = requestRefusal({ host: request.headers.get("host"), pathname, search }, settings.THROUGHLINE_HOSTS);
  const response = refusal
    ? new NextResponse(`${refusal}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } })
    : NextResponse.next();
  // Sign-in with GitHub or OIDC posts a form that is redirected to the provider: form-action must allow it.
  const formTargets: string[] = [];
  if (settings.AUTH_GITHUB_ID) formTargets.push("https://github.com");
  if (settings.AUTH_OIDC_ISSUER) formTargets.push(new URL(settings.AUTH_OIDC_ISSUER).origin);
  const headers = securityHeaders({ frameAncestors: settings.THROUGHLINE_FRAME_ANCESTORS, formTargets, dev: settings.NODE_ENV === "development" });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
