import { expect, test, type Browser } from "@playwright/test";
import { VIEWER } from "./accounts";

/** A browser with no session at all, as a stranger (or a leader opening a link) has. */
async function stranger(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

test("a stranger is sent to sign in from every page, and the API answers 401", async ({ browser }) => {
  const { context, page } = await stranger(browser);
  for (const path of ["/", "/teams/payments", "/teams/payments/items/PAY-1", "/outcomes", "/kpis", "/settings", "/account"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(new RegExp(`/signin\\?callbackUrl=${encodeURIComponent(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  }
  for (const path of ["/api/teams", "/api/teams/payments/metrics/wip", "/api/teams/payments/forecast?items=3"]) {
    const response = await context.request.get(path);
    expect(response.status(), path).toBe(401);
    expect(await response.json()).toMatchObject({ code: "UNAUTHORIZED" });
  }
  await context.close();
});

test("the demo visit is read-only and says so", async ({ browser }) => {
  const { context, page } = await stranger(browser);
  await page.goto("/signin");
  await page.getByRole("button", { name: "Explore the demo (read-only)" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("demo-banner")).toContainText("read-only");
  await expect(page.getByTestId("team-card")).toHaveCount(3);
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await page.goto("/kpis");
  await expect(page.getByTestId("kpi-write-refused")).toBeVisible();
  await context.close();
});

test("an admin adds a viewer of one team, who sees that team only and no Settings", async ({ page, browser }) => {
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email", { exact: true }).fill(VIEWER.email);
  await form.getByLabel("Name").fill(VIEWER.name);
  await form.getByLabel("Password", { exact: true }).fill(VIEWER.password);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByLabel("Teams", { exact: true }).fill("payments");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId("user-ok")).toContainText("can now sign in as viewer");

  const { context, page: viewer } = await stranger(browser);
  await viewer.goto("/signin");
  await viewer.getByLabel("Email", { exact: true }).fill(VIEWER.email);
  await viewer.getByLabel("Password", { exact: true }).fill(VIEWER.password);
  await viewer.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(viewer.getByTestId("signed-in-as")).toHaveText(VIEWER.name);
  await expect(viewer.getByTestId("team-card")).toHaveCount(1);
  await expect(viewer.locator("[data-team=payments]")).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await viewer.goto("/settings");
  await expect(viewer.getByTestId("forbidden")).toBeVisible();
  // Another team is not there at all: the same page as a team that does not exist.
  const other = await viewer.goto("/teams/growth");
  expect(other?.status()).toBe(404);
  await expect(viewer.getByTestId("not-found")).toBeVisible();
  const api = await context.request.get("/api/teams/growth/metrics/wip");
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toMatch(/GRO-\d+/);
  const teams = (await (await context.request.get("/api/teams")).json()) as { teams: { key: string }[] };
  expect(teams.teams.map((t) => t.key)).toEqual(["payments"]);
  await context.close();
});

test("a page validates its address like the API: a window of centuries is refused at once, not computed", async ({ page, request }) => {
  const started = Date.now();
  await page.goto("/teams/growth?from=0100-01-01&to=9999-12-31");
  await expect(page.getByTestId("view-refused")).toContainText("the window may span at most");
  expect(Date.now() - started).toBeLessThan(10_000);
  const api = await request.get("/api/teams/growth/metrics/wip?from=0100-01-01&to=9999-12-31");
  expect(api.status()).toBe(400);
  // A NUL byte or a broken escape in the path is a plain 400, not an error page.
  expect((await request.get("/teams/%00")).status()).toBe(400);
  expect((await request.get("/teams/%zz")).status()).toBe(400);
  // Only the configured host names are served.
  expect((await request.get("/", { headers: { host: "rebind.attacker.example:3100" } })).status()).toBe(400);
});
