// The authorization matrix over HTTP, against `next start`: every page and API route for every kind
// of caller, with the exact status and no other team's items in the body. (Server actions, and
// expired links, are walked cell by cell at the service layer: tests/integration/authorization-matrix.)
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";

const PASSWORD = "matrix password 1";
const PEOPLE = {
  viewer: { email: "matrix-viewer@example.com", role: "viewer", teams: "payments" },
  member: { email: "matrix-member@example.com", role: "member", teams: "payments" },
  outsider: { email: "matrix-outsider@example.com", role: "member", teams: "growth" },
} as const;

/** The body without the item keys of the caller's own address. */
function withoutAsked(body: string, path: string): string {
  let out = body;
  for (const key of path.match(/[A-Z]+-\d+/g) ?? []) out = out.split(key).join("");
  return out;
}

type Caller =
  | "anonymous"
  | "viewer"
  | "member of another team"
  | "member"
  | "admin"
  | "token with metrics:read"
  | "token without metrics:read"
  | "revoked token"
  | "share link"
  | "revoked share link";

async function addUser(page: Page, who: (typeof PEOPLE)[keyof typeof PEOPLE]) {
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email", { exact: true }).fill(who.email);
  await form.getByLabel("Name", { exact: true }).fill(who.email.split("@")[0]!);
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByLabel("Role").selectOption(who.role);
  await form.getByLabel("Teams", { exact: true }).fill(who.teams);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId("user-ok")).toBeVisible();
}

async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  return { context, page };
}

async function makeToken(page: Page, path: "/account" | "/settings", scopes: { read: boolean; write: boolean }) {
  await page.goto(path);
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByPlaceholder("billing export job").fill(`matrix-${Date.now()}-${Math.random()}`);
  const read = form.getByLabel("metrics:read");
  const write = form.getByLabel("kpis:write");
  if (scopes.read) await read.check();
  else if (await read.isChecked()) await read.uncheck();
  if ((await write.count()) > 0) {
    if (scopes.write) await write.check();
    else if (await write.isChecked()) await write.uncheck();
  }
  await form.getByRole("button", { name: "Create token" }).click();
  return (await page.getByTestId("new-token").textContent())!;
}

async function shareDashboard(page: Page): Promise<string> {
  await page.goto("/teams/payments");
  await page.getByTestId("share-dashboard").click();
  await page.getByRole("dialog", { name: "Share dashboard" }).getByRole("button", { name: "Create link" }).click();
  return page.getByTestId("share-url").inputValue();
}

test("every page and API route answers each caller with the exact status, and shows no other team's items", async ({ page, browser, playwright }) => {
  test.setTimeout(120_000);
  for (const who of Object.values(PEOPLE)) await addUser(page, who);
  const viewer = await signedIn(browser, PEOPLE.viewer.email);
  const member = await signedIn(browser, PEOPLE.member.email);
  const outsider = await signedIn(browser, PEOPLE.outsider.email);
  const readToken = await makeToken(member.page, "/account", { read: true, write: false });
  const writeToken = await makeToken(page, "/settings", { read: false, write: true });
  const revokedToken = await makeToken(page, "/settings", { read: true, write: true });
  await page.goto("/settings");
  await page.locator("li", { hasText: revokedToken.slice(0, 8) }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.locator("li", { hasText: revokedToken.slice(0, 8) })).toContainText("revoked");
  const liveLink = await shareDashboard(page);
  const deadLink = await shareDashboard(page);
  await page.goto("/account");
  await page.getByTestId("share-links").locator("tr[data-state=live]").first().getByRole("button", { name: "Revoke" }).click();
  // The newest link is listed first: that is the dead one.
  await expect(page.getByTestId("share-links").locator("tr").nth(1)).toHaveAttribute("data-state", "revoked");

  const baseURL = new URL(page.url()).origin;
  const bare = () => playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const withToken = (token: string) => playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const callers: Record<Caller, { request: APIRequestContext; share?: string }> = {
    anonymous: { request: await bare() },
    viewer: { request: viewer.context.request },
    "member of another team": { request: outsider.context.request },
    member: { request: member.context.request },
    admin: { request: page.context().request },
    "token with metrics:read": { request: await withToken(readToken) },
    "token without metrics:read": { request: await withToken(writeToken) },
    "revoked token": { request: await withToken(revokedToken) },
    // A share link's holder: no session, the link's address, and every other address tried with it.
    "share link": { request: await bare(), share: liveLink },
    "revoked share link": { request: await bare(), share: deadLink },
  };

  type Cell = number | "signin";
  /** Pages: "signin" is a redirect to sign in with the page as the way back. */
  const pages: { path: string; want: Partial<Record<Caller, Cell>> & { otherwise: Cell } }[] = [
    { path: "/", want: { otherwise: 200, anonymous: "signin", "token with metrics:read": "signin", "token without metrics:read": "signin", "revoked token": "signin", "share link": "signin", "revoked share link": "signin" } },
    { path: "/teams/payments", want: { otherwise: 200, "member of another team": 404 } },
    { path: "/teams/growth", want: { otherwise: 404, admin: 200, "member of another team": 200 } },
    { path: "/teams/payments/items/PAY-1", want: { otherwise: 200, "member of another team": 404 } },
    { path: "/teams/payments/roadblocks", want: { otherwise: 200, "member of another team": 404 } },
    { path: "/teams/growth/roadblocks", want: { otherwise: 404, admin: 200, "member of another team": 200 } },
    { path: "/teams/payments/roadblocks/999999", want: { otherwise: 404 } },
    { path: "/teams/payments/decisions", want: { otherwise: 200, "member of another team": 404 } },
    { path: "/teams/payments/decisions/999999", want: { otherwise: 404 } },
    { path: "/outcomes?team=payments&kpi=mrr", want: { otherwise: 200 } },
    { path: "/digest?team=payments", want: { otherwise: 200, "member of another team": 404 } },
    { path: "/digest?team=growth", want: { otherwise: 404, admin: 200, "member of another team": 200 } },
    // A leader's digest: every team the reader sees (the check below: no other team's items).
    { path: "/digest", want: { otherwise: 200 } },
    { path: "/kpis", want: { otherwise: 200 } },
    { path: "/kpis/mrr", want: { otherwise: 200 } },
    { path: "/settings", want: { otherwise: 403, admin: 200 } },
    { path: "/settings/sources", want: { otherwise: 403, admin: 200 } },
    { path: "/settings/sources/no-such-source", want: { otherwise: 403, admin: 404 } },
    { path: "/account", want: { otherwise: 200, viewer: 403 } },
  ];
  // Tokens and share links carry no session: every page sends them to sign in.
  for (const p of pages) for (const c of ["anonymous", "token with metrics:read", "token without metrics:read", "revoked token", "share link", "revoked share link"] as const) p.want[c] = "signin";

  const routes: { path: string; want: Partial<Record<Caller, number>> & { otherwise: number } }[] = [
    // The load balancer's health check: every caller alike, a bad token included.
    { path: "/api/health", want: { otherwise: 200 } },
    { path: "/api/teams", want: { otherwise: 200, anonymous: 401, "revoked token": 401, "token without metrics:read": 403, "share link": 401, "revoked share link": 401 } },
    ...["/api/teams/payments/metrics/wip", "/api/teams/payments/metrics/quality", "/api/teams/payments/forecast?items=3", "/api/teams/payments/milestone-impact?kpi=mrr", "/api/teams/payments/day-items?date=2026-11-02&kind=wip", "/api/teams/payments/annotations?from=2026-10-01&to=2026-11-30", "/api/teams/payments/roadblocks?status=open", "/api/teams/payments/decisions"].map((path) => ({
      path,
      want: { otherwise: 200, anonymous: 401, "revoked token": 401, "token without metrics:read": 403, "member of another team": 404, "share link": 401, "revoked share link": 401 },
    })),
    { path: "/api/teams/growth/metrics/wip", want: { otherwise: 404, admin: 200, "member of another team": 200, anonymous: 401, "revoked token": 401, "token without metrics:read": 403, "share link": 401, "revoked share link": 401 } },
    // The digest's Atom feed: a session or a token with metrics:read (feed readers send tokens).
    { path: "/digest/feed?team=payments", want: { otherwise: 200, anonymous: 401, "revoked token": 401, "token without metrics:read": 403, "member of another team": 404, "share link": 401, "revoked share link": 401 } },
    { path: "/digest/feed?team=growth", want: { otherwise: 404, admin: 200, "member of another team": 200, anonymous: 401, "revoked token": 401, "token without metrics:read": 403, "share link": 401, "revoked share link": 401 } },
  ];

  const seen: Record<string, Record<string, Cell>> = {};
  const want: Record<string, Record<string, Cell>> = {};
  for (const [caller, { request, share }] of Object.entries(callers) as [Caller, (typeof callers)[Caller]][]) {
    for (const p of pages) {
      const response = await request.get(p.path, { maxRedirects: 0 });
      const status = response.status();
      const location = response.headers()["location"] ?? "";
      const cell: Cell = (status === 307 || status === 302 || status === 303) && location.includes("/signin?callbackUrl=") ? "signin" : status;
      (seen[p.path] ??= {})[caller] = cell;
      (want[p.path] ??= {})[caller] = p.want[caller] ?? p.want.otherwise;
      // A refusal may repeat what the caller asked for (the item key in its own address), nothing more.
      const body = withoutAsked(await response.text(), p.path);
      if (caller === "viewer" || caller === "member") expect(body, `${p.path} as ${caller}`).not.toMatch(/GRO-\d+/);
      if (caller === "member of another team") expect(body, `${p.path} as ${caller}`).not.toMatch(/PAY-\d+/);
    }
    for (const r of routes) {
      const response = await request.get(r.path);
      (seen[r.path] ??= {})[caller] = response.status();
      (want[r.path] ??= {})[caller] = r.want[caller] ?? r.want.otherwise;
      if (response.status() !== 200) expect(await response.json(), `${r.path} as ${caller}`).toEqual(expect.objectContaining({ code: expect.any(String), error: expect.any(String) }));
      const text = await response.text();
      const ok = response.status() === 200;
      if (caller === "viewer" || caller === "member" || caller === "token with metrics:read") expect(text, `${r.path} as ${caller}`).not.toMatch(ok ? /GRO-\d+|"growth"/ : /GRO-\d+/);
      if (caller === "member of another team") expect(text, `${r.path} as ${caller}`).not.toMatch(ok ? /PAY-\d+|"payments"/ : /PAY-\d+/);
    }
    if (share) {
      const response = await request.get(share);
      (seen[share] ??= {})[caller] = response.status();
      (want[share] ??= {})[caller] = caller === "share link" ? 200 : 410;
      if (caller === "revoked share link") expect(await response.text()).not.toMatch(/PAY-\d+/);
      else expect(await response.text()).not.toMatch(/GRO-\d+/);
    }
  }
  expect(seen).toEqual(want);
  for (const c of [viewer, member, outsider]) await c.context.close();
});
