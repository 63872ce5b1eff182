import { expect, test } from "@playwright/test";

const INVITEE = { name: "Mia Member", email: "member@example.com", password: "member password 1" };

test("an admin invites a member by link; the link makes one account, once", async ({ page, browser }) => {
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Email", { exact: true }).fill(INVITEE.email);
  await form.getByLabel("Role").selectOption("member");
  await form.getByRole("button", { name: "Make an invite link" }).click();
  await expect(page.getByTestId("invite-ok")).toContainText(`${INVITEE.email} as member`);
  // The full link is built in the browser from the page's own origin.
  const link = page.getByTestId("invite-link");
  await expect(link).toHaveText(/^https?:\/\/[^/]+\/invite\/[A-Za-z0-9_-]{32}$/);
  const url = (await link.textContent())!;
  expect(url.endsWith((await link.getAttribute("data-path"))!)).toBe(true);
  await expect(page.getByTestId("invites")).toContainText(INVITEE.email);

  // The invitee has no session: a fresh browser.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await context.newPage();
  await invitee.goto(url);
  await expect(invitee.getByTestId("invite-who")).toContainText(`${INVITEE.email} is invited as a member`);
  await invitee.getByLabel("Your name").fill(INVITEE.name);
  await invitee.getByLabel("Password", { exact: true }).fill(INVITEE.password);
  await invitee.getByRole("button", { name: "Create my account" }).click();
  await expect(invitee).toHaveURL(/\/signin$/);

  await invitee.getByLabel("Email", { exact: true }).fill(INVITEE.email);
  await invitee.getByLabel("Password", { exact: true }).fill(INVITEE.password);
  await invitee.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(invitee.getByTestId("signed-in-as")).toHaveText(INVITEE.name);
  const topBar = invitee.getByRole("banner");
  await expect(topBar.getByRole("link", { name: "Account", exact: true })).toBeVisible();
  await expect(topBar.getByRole("link", { name: "Settings" })).toHaveCount(0);

  // Used once: the same link now says so, and makes nothing.
  await invitee.goto(url);
  await expect(invitee.getByTestId("invite-gone")).toBeVisible();
  await expect(invitee.getByRole("button", { name: "Create my account" })).toHaveCount(0);
  await context.close();

  // The admin sees the new member, and the invite no longer open.
  await page.reload();
  await expect(page.locator(`[data-testid=user-row][data-email="${INVITEE.email}"]`)).toBeVisible();
  await expect(page.getByTestId("invites")).not.toContainText(INVITEE.email);
});
