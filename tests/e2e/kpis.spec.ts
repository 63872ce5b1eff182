import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("upload a KPI CSV in the browser and see it on its chart", async ({ page }) => {
  const key = `uploaded-${Date.now()}`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-")), "kpi.csv");
  fs.writeFileSync(file, `kpi,date,value\n${key},2026-01-01,10\n${key},2026-01-02,12\n${key},2026-01-03,15\n`);
  await page.goto("/kpis");
  await page.getByLabel("CSV or JSON file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-ok")).toHaveText(/Imported 3 points for 1 KPI/);
  await expect(page.locator(`[data-kpi="${key}"]`)).toContainText("3");

  await page.locator(`[data-kpi="${key}"] a`).click();
  await page.getByRole("link", { name: "Daily" }).click();
  await expect(page).toHaveURL(/grain=day/);
  const series = page.getByTestId("kpi-series");
  await expect(series).toHaveAttribute("data-periods", "3");
  await expect(series.locator(".recharts-line-curve")).toBeVisible();
  await expect(series.locator("tbody tr").first()).toContainText("2026-01-03");

  // A bad file names its line and stores nothing.
  fs.writeFileSync(file, `kpi,date,value\n${key},2026-01-04,oops\n`);
  await page.goto("/kpis");
  await page.getByLabel("CSV or JSON file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-error")).toHaveText(/kpi\.csv: line 2, column value: "oops" is not a number/);
  await expect(page.locator(`[data-kpi="${key}"]`)).toContainText("3");

  // Over the 20 MB the upload promises: refused in the browser, with what to do instead; nothing is sent.
  let posted = 0;
  page.on("request", (r) => r.method() === "POST" && posted++);
  await page.getByLabel("CSV or JSON file").setInputFiles({ name: "huge.csv", mimeType: "text/csv", buffer: Buffer.alloc(20 * 1024 * 1024 + 1, "a") });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-error")).toHaveText(/larger than 20 MB: use `npx throughline import kpi FILE` instead/);
  expect(posted).toBe(0);
  // A request crafted past the browser's check (a server action post of 22 MB) gets a 413 that
  // says what to do, before the app reads it, and the KPI is as it was.
  const crafted = await page.request.post("/kpis", { headers: { "content-type": "text/plain;charset=UTF-8", "next-action": "0".repeat(42) }, data: Buffer.alloc(22 * 1024 * 1024, "a") });
  expect(crafted.status()).toBe(413);
  expect(await crafted.text()).toMatch(/larger than 21 MB: files above 20 MB go through the CLI/);
  await page.reload();
  await expect(page.locator(`[data-kpi="${key}"]`)).toContainText("3");
});

test("define a KPI in the browser; a bad key is refused with the rule it breaks", async ({ page }) => {
  const key = `defined-${Date.now()}`;
  await page.goto("/kpis");
  const form = page.getByRole("form", { name: "Define a KPI" });
  await form.getByLabel("Key").fill(key);
  await form.getByLabel("Name").fill("Weekly active teams");
  await form.getByLabel("Roll-up").selectOption("avg");
  await form.getByRole("button", { name: "Save KPI" }).click();
  await expect(page.getByTestId("define-ok")).toHaveText('KPI "Weekly active teams" saved.');
  await expect(page.locator(`[data-kpi="${key}"]`)).toContainText("avg");

  await form.getByLabel("Key").fill("no spaces allowed");
  await form.getByRole("button", { name: "Save KPI" }).click();
  await expect(page.getByTestId("define-error")).toContainText("may hold letters, digits");
});

test("a token made in settings pushes points, and stops working once revoked", async ({ page, request }) => {
  const name = `e2e-${Date.now()}`;
  await page.goto("/settings");
  await page.getByPlaceholder("billing export job").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!;
  expect(token).toMatch(/^tl_/);

  const key = `pushed-${Date.now()}`;
  const push = () =>
    request.post(`/api/kpis/${key}/points`, {
      headers: { authorization: `Bearer ${token}` },
      data: { kpi: { name: "Pushed", aggregation: "sum" }, points: [{ date: "2026-02-01", value: 5 }] },
    });
  expect((await push()).status()).toBe(200);
  expect((await request.post(`/api/kpis/${key}/points`, { data: { points: [] } })).status()).toBe(401);
  const malformed = await request.post(`/api/kpis/${key}/points`, { headers: { authorization: `Bearer ${token}` }, data: { points: [{ date: "soon", value: 1 }] } });
  expect(malformed.status()).toBe(400);

  await page.reload();
  await page.locator("li", { hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.locator("li", { hasText: name })).toContainText("revoked");
  expect((await push()).status()).toBe(401);
});
