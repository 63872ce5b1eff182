// What every request must pass before it is routed, and the headers every response carries: pure
// functions of the request's parts and the settings, so proxy.ts stays a thin caller.

/** A Host header or a THROUGHLINE_HOSTS entry: a name (or [IPv6] literal) and maybe a port. */
export interface HostName {
  hostname: string;
  port?: string;
}

export function parseHost(value: string): HostName | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  const hostname = match?.[1];
  if (!hostname) return undefined;
  const port = match[2];
  return port === undefined ? { hostname } : { hostname, port };
}

/** An entry without a port allows the name on any port; `name:port` allows exactly that Host. */
export function isAllowedHost(host: string | null, allowed: readonly string[]): boolean {
  const requested = host === null ? undefined : parseHost(host);
  if (!requested) return false;
  return allowed.some((entry) => {
    const rule = parseHost(entry);
    return rule !== undefined && rule.hostname === requested.hostname && (rule.port === undefined || rule.port === requested.port);
  });
}

function isMalformedPart(part: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(part);
  } catch {
    return true;
  }
  if (decoded.includes("\u0000")) return true;
  // Item and KPI pages decode their param once more (lib/views/route-params.ts), so "%2500" must
  // not become a NUL there either; a second decode that fails is theirs to keep as it is.
  try {
    return decodeURIComponent(decoded).includes("\u0000");
  } catch {
    return false;
  }
}

/** True when a path segment, query name or query value is a malformed `%` escape or holds a NUL. */
export function isMalformedAddress(pathname: string, search: string): boolean {
  const query = search.startsWith("?") ? search.slice(1) : search;
  const parts = [...pathname.split("/"), ...(query ? query.split(/[&=]/) : [])];
  return parts.some(isMalformedPart);
}

export interface RequestParts {
  /** The Host header as sent (null when there is none). */
  host: string | null;
  /** Still percent-encoded, as in the request line. */
  pathname: string;
  /** Encoded too; Next re-serializes it before proxy.ts (a stray "%" arrives as "%25", "%00" stays). */
  search: string;
}

/** Why a request is refused before routing (the whole body of its plain 400), or undefined. */
export function requestRefusal(request: RequestParts, allowedHosts: readonly string[]): string | undefined {
  if (!isAllowedHost(request.host, allowedHosts)) return "unknown host";
  if (isMalformedAddress(request.pathname, request.search)) return "malformed address";
  return undefined;
}

/**
 * The most any request may declare as its body: the largest upload (a 20 MB KPI file) and its
 * multipart framing. Above it, the answer is a clear 413 here, before Next.js reads anything
 * (its own refusal of an oversized server-action body is a bare 500 error page).
 */
export const MAX_REQUEST_BODY_BYTES = 21 * 1024 * 1024;

/** The 413 message for a declared Content-Length above the limit, or undefined. */
export function oversizedBody(contentLength: string | null): string | undefined {
  if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return undefined;
  return Number(contentLength) > MAX_REQUEST_BODY_BYTES ? "request body larger than 21 MB: files above 20 MB go through the CLI (npx throughline import …)" : undefined;
}

export interface SecuritySettings {
  /** A CSP frame-ancestors source list, e.g. ["'none'"] or ["'self'", "https://wiki.example.com"]. */
  frameAncestors: readonly string[];
  /** Origins a submitted form may be redirected to besides the app: the sign-in providers. */
  formTargets?: readonly string[];
  /** `next dev`: React needs eval there to rebuild server error stacks. */
  dev: boolean;
}

/**
 * Nothing may load from another origin. Scripts allow 'unsafe-inline' rather than a nonce: Next's
 * inline bootstrap scripts get a nonce only when a page is rendered per request, and a nonce would
 * make every static page dynamic. Recharts writes inline style attributes, hence style-src too.
 */
export function contentSecurityPolicy({ frameAncestors, formTargets = [], dev }: SecuritySettings): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ["form-action 'self'", ...formTargets].join(" "),
    `frame-ancestors ${frameAncestors.join(" ")}`,
  ].join("; ");
}

/** X-Frame-Options for browsers without frame-ancestors; it cannot name other origins, so then none. */
function frameOptions(frameAncestors: readonly string[]): string | undefined {
  if (frameAncestors.length !== 1) return undefined;
  if (frameAncestors[0] === "'none'") return "DENY";
  if (frameAncestors[0] === "'self'") return "SAMEORIGIN";
  return undefined;
}

export function securityHeaders(settings: SecuritySettings): Record<string, string> {
  const xfo = frameOptions(settings.frameAncestors);
  return {
    "Content-Security-Policy": contentSecurityPolicy(settings),
    "X-Content-Type-Options": "nosniff",
    // Share links carry their token in the path: it must never travel in a Referer.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(xfo ? { "X-Frame-Options": xfo } : {}),
  };
}
