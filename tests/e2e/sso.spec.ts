import { expect, test } from "@playwright/test";
import { ADMIN } from "./accounts";

// The generic OIDC provider, against a local identity provider (tests/e2e/support/oidc-provider.mjs)
// that the test server is configured with, as a deployment would configure its own.
test("sign in through the OIDC provider: a known email lands signed in, an unknown one is told to ask an admin", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/signin?callbackUrl=%2Fteams%2Fpayments");
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await expect(page).toHaveTitle("Test SSO");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/teams\/payments$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(ADMIN.name);
  expect((await context.request.get("/api/teams")).status()).toBe(200);
  await context.close();

  const strangerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const stranger = await strangerContext.newPage();
  await stranger.goto("/signin");
  await stranger.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await expect(stranger).toHaveTitle("Test SSO");
  await stranger.getByLabel("Email").fill("nobody@example.org");
  await stranger.getByRole("button", { name: "Continue" }).click();
  await expect(stranger).toHaveURL(/\/signin\?error=NoAccount/);
  // Next's route announcer is an (empty) alert too, once the page has hydrated.
  await expect(stranger.getByRole("alert").filter({ hasText: "ask an admin" })).toBeVisible();
  expect((await strangerContext.request.get("/api/teams")).status()).toBe(401);
  await strangerContext.close();
});
