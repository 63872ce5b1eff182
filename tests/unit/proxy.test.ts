import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "../../proxy";
import { contentSecurityPolicy, isAllowedHost, isMalformedAddress, MAX_REQUEST_BODY_BYTES, oversizedBody, parseHost, requestRefusal, securityHeaders } from "../../lib/http/request-guard";

const DEFAULT_HOSTS = ["localhost", "127.0.0.1"];

describe("host check", () => {
  it("splits a Host header into name and port", () => {
    expect(parseHost("LocalHost:3100")).toEqual({ hostname: "localhost", port: "3100" });
    expect(parseHost("[::1]:3000")).toEqual({ hostname: "[::1]", port: "3000" });
    expect(parseHost("dash.example.com")).toEqual({ hostname: "dash.example.com" });
    expect(parseHost("evil.example/x")).toBeUndefined();
    expect(parseHost("")).toBeUndefined();
  });

  it("allows localhost and 127.0.0.1 on any port by default", () => {
    for (const host of ["localhost", "localhost:3100", "127.0.0.1:3000", "LOCALHOST:80"]) expect(isAllowedHost(host, DEFAULT_HOSTS), host).toBe(true);
  });

  it("refuses any other name, a missing Host and a name that only starts like an allowed one", () => {
    for (const host of [null, "", "rebind.attacker.example:3100", "localhost.attacker.example", "127.0.0.1.nip.io", "0.0.0.0:3000", "[::1]:3000"]) {
      expect(isAllowedHost(host, DEFAULT_HOSTS), String(host)).toBe(false);
    }
  });

  it("holds a configured name:port to that port; a bare name allows any port", () => {
    const hosts = ["dash.example.com", "intranet:8443"];
    expect(isAllowedHost("dash.example.com", hosts)).toBe(true);
    expect(isAllowedHost("dash.example.com:443", hosts)).toBe(true);
    expect(isAllowedHost("intranet:8443", hosts)).toBe(true);
    expect(isAllowedHost("intranet:8080", hosts)).toBe(false);
    expect(isAllowedHost("intranet", hosts)).toBe(false);
    expect(isAllowedHost("localhost:3000", hosts)).toBe(false);
  });
});

describe("malformed addresses", () => {
  it("lets ordinary and correctly encoded addresses through", () => {
    expect(isMalformedAddress("/", "")).toBe(false);
    expect(isMalformedAddress("/teams/payments/items/PAY-1", "?from=2026-01-01&to=2026-03-31&type=story")).toBe(false);
    expect(isMalformedAddress("/kpis/revenue%20%E2%82%AC", "?q=a+b&note=100%25&flag")).toBe(false);
    // "50%25" encoded once more: two decodes give "50%", no NUL.
    expect(isMalformedAddress("/kpis/50%2525", "")).toBe(false);
  });

  it("refuses a malformed % escape in a path segment or a query part", () => {
    expect(isMalformedAddress("/teams/%zz", "")).toBe(true);
    expect(isMalformedAddress("/teams/payments/items/%E0%A4%A", "")).toBe(true);
    expect(isMalformedAddress("/outcomes", "?as_of=%")).toBe(true);
    expect(isMalformedAddress("/outcomes", "?%zz=1")).toBe(true);
  });

  it("refuses a NUL in a path segment or a query part, also when encoded twice", () => {
    expect(isMalformedAddress("/teams/%00", "")).toBe(true);
    expect(isMalformedAddress("/kpis/a%2500b", "")).toBe(true);
    expect(isMalformedAddress("/teams/payments", "?type=story%00")).toBe(true);
    expect(isMalformedAddress("/teams/payments", "?ty%00pe=story")).toBe(true);
  });

  it("says which check a refused request failed, the host first", () => {
    expect(requestRefusal({ host: "localhost:3100", pathname: "/teams/payments", search: "" }, DEFAULT_HOSTS)).toBeUndefined();
    expect(requestRefusal({ host: "evil.example", pathname: "/teams/%00", search: "" }, DEFAULT_HOSTS)).toBe("unknown host");
    expect(requestRefusal({ host: "localhost:3100", pathname: "/teams/%00", search: "" }, DEFAULT_HOSTS)).toBe("malformed address");
  });

  it("refuses a declared body above 21 MB with a message, and lets smaller or undeclared ones through", () => {
    expect(oversizedBody(String(MAX_REQUEST_BODY_BYTES + 1))).toMatch(/larger than 21 MB/);
    expect(oversizedBody(String(MAX_REQUEST_BODY_BYTES))).toBeUndefined();
    expect(oversizedBody("1024")).toBeUndefined();
    expect(oversizedBody(null)).toBeUndefined();
    expect(oversizedBody("abc")).toBeUndefined();
  });
});

describe("security headers", () => {
  const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)] as const));

  it("allows nothing from another origin and no framing by default", () => {
    const headers = securityHeaders({ frameAncestors: ["'none'"], dev: false });
    const csp = directives(headers["Content-Security-Policy"] ?? "");
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    for (const sources of csp.values()) for (const s of sources) expect(s, s).toMatch(/^('[a-z-]+'|data:|blob:)$/);
    expect(headers).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "X-Frame-Options": "DENY",
    });
    expect(headers["Permissions-Policy"]).toContain("camera=()");
  });

  it("adds unsafe-eval only in development", () => {
    expect(contentSecurityPolicy({ frameAncestors: ["'none'"], dev: true })).toContain("script-src 'self' 'unsafe-inline' 'unsafe-eval';");
    expect(contentSecurityPolicy({ frameAncestors: ["'none'"], dev: false })).not.toContain("unsafe-eval");
  });

  it("lets a sign-in form be redirected to the configured providers only", () => {
    expect(contentSecurityPolicy({ frameAncestors: ["'none'"], dev: false })).toContain("form-action 'self';");
    expect(contentSecurityPolicy({ frameAncestors: ["'none'"], formTargets: ["https://github.com"], dev: false })).toContain("form-action 'self' https://github.com;");
  });

  it("keeps X-Frame-Options in line with frame-ancestors", () => {
    expect(securityHeaders({ frameAncestors: ["'self'"], dev: false })["X-Frame-Options"]).toBe("SAMEORIGIN");
    const embedded = securityHeaders({ frameAncestors: ["'self'", "https://wiki.example.com"], dev: false });
    expect(embedded["X-Frame-Options"]).toBeUndefined();
    expect(embedded["Content-Security-Policy"]).toContain("frame-ancestors 'self' https://wiki.example.com");
  });
});

describe("proxy", () => {
  const call = (url: string, host: string) => proxy(new NextRequest(url, { headers: { host } }));

  it("lets a good request on with the security headers", async () => {
    const response = await call("http://localhost:3100/teams/payments?type=story", "localhost:3100");
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("answers a plain 400, with the headers and no data, to an unknown host or a malformed address", async () => {
    for (const [url, host, body] of [
      ["http://localhost:3100/teams/payments", "rebind.attacker.example:3100", "unknown host\n"],
      ["http://localhost:3100/teams/%00", "localhost:3100", "malformed address\n"],
      ["http://localhost:3100/outcomes?as_of=%00", "localhost:3100", "malformed address\n"],
    ] as const) {
      const response = await call(url, host);
      expect(response.status, url).toBe(400);
      expect(response.headers.get("x-middleware-next")).toBeNull();
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await response.text()).toBe(body);
    }
  });
});
