import { expect, test, type APIRequestContext } from "@playwright/test";

const DEMO_TEAMS = ["growth", "payments", "platform"];

async function metric<T>(request: APIRequestContext, team: string, name: string, query = ""): Promise<T> {
  const response = await request.get(`/api/teams/${team}/metrics/${name}${query}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

test("the home page lists every demo team with the API's numbers", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Teams" })).toBeVisible();
  const cards = page.getByTestId("team-card");
  await expect(cards).toHaveCount(DEMO_TEAMS.length);

  for (const team of DEMO_TEAMS) {
    const card = page.locator(`[data-testid=team-card][data-team=${team}]`);
    const wip = await metric<{ daily: { date: string; wip: number }[] }>(request, team, "wip");
    const today = wip.daily.at(-1)!.date;
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const throughput = await metric<{ daily: { count: number }[] }>(request, team, "throughput", `?from=${from}&to=${today}`);
    const cycle = await metric<{ percentiles: { p85: number | null } }>(request, team, "cycle-time", `?from=${from}&to=${today}`);

    await expect(card.getByTestId("wip")).toHaveText(new RegExp(`^${wip.daily.at(-1)!.wip}( / \\d+)?$`));
    await expect(card.getByTestId("throughput")).toHaveText(String(throughput.daily.reduce((s, d) => s + d.count, 0)));
    await expect(card.getByTestId("p85")).toHaveText(`${cycle.percentiles.p85} days`);
  }
  await page.screenshot({ path: "test-results/e2e/overview.png", fullPage: true });
});

test("the metric API answers 400 with error and details, and 404 for an unknown team", async ({ request }) => {
  const bad = await request.get("/api/teams/payments/metrics/cycle-time?from=2026-02-30");
  expect(bad.status()).toBe(400);
  const body = await bad.json();
  expect(body.error).toMatch(/from/);
  expect(body.details[0]).toMatchObject({ where: "from" });

  const unknownMetric = await request.get("/api/teams/payments/metrics/velocity");
  expect(unknownMetric.status()).toBe(400);

  const missing = await request.get("/api/teams/nobody/metrics/wip");
  expect(missing.status()).toBe(404);
  expect((await missing.json()).code).toBe("TEAM_NOT_FOUND");
});

test("the API returns the spec's shapes for every metric", async ({ request }) => {
  const asOf = "2026-06-30T12:00:00Z";
  const q = `?from=2026-06-01&to=2026-06-30&as_of=${asOf}`;
  const cycle = await metric<Record<string, unknown>>(request, "payments", "cycle-time", q);
  expect(Object.keys(cycle).sort()).toEqual(["count", "items", "percentiles"]);
  const throughput = await metric<{ daily: unknown[]; weekly: unknown[] }>(request, "payments", "throughput", q);
  expect(throughput.daily).toHaveLength(30);
  const cfd = await metric<{ statuses: string[]; daily: unknown[] }>(request, "payments", "cfd", q);
  expect(cfd.statuses[0]).toBe("Backlog");
  const aging = await metric<{ items: unknown[] }>(request, "payments", "aging", `?as_of=${asOf}`);
  expect(Array.isArray(aging.items)).toBe(true);
  const blockers = await metric<{ open: unknown[]; items: unknown[] }>(request, "payments", "blockers", `?as_of=${asOf}`);
  expect(Object.keys(blockers).sort()).toEqual(["items", "open"]);
});
