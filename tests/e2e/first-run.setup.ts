import { expect, test as setup } from "@playwright/test";
import { ADMIN_STATE } from "../../playwright.config";
import { ADMIN } from "./accounts";

// A fresh install: every page sends a stranger to sign in, which offers to set up the first admin.
setup("first-run setup creates the admin, who then signs in with email and password", async ({ page }) => {
  await page.goto("/teams/payments");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fteams%2Fpayments/);
  await page.getByRole("link", { name: /create the first admin/ }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Create the admin account" }).click();
  await expect(page).toHaveURL(/\/signin/);
  // Set up once: the page is gone for good.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByTestId("setup-link")).toHaveCount(0);

  await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signin-error")).toHaveText("That email and password do not match an account.");
  await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADMIN.name);
  await page.context().storageState({ path: ADMIN_STATE });
});
