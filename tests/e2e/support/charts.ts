import type { Page } from "@playwright/test";

/**
 * Reads down the page as a reader does, to its end: waits until the charts on screen are drawn,
 * then scrolls one viewport on. Charts below the fold fetch their interactive version only when
 * they come near the viewport (components/charts/lazy-chart.tsx).
 */
export async function scrollThrough(page: Page) {
  for (;;) {
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".lazy-chart")].every((chart) => {
        const box = chart.getBoundingClientRect();
        return box.bottom <= 0 || box.top >= innerHeight || chart.querySelector(".recharts-wrapper");
      }),
    );
    if (await page.evaluate(() => scrollY >= document.documentElement.scrollHeight - innerHeight - 1)) return;
    await page.evaluate(() => scrollBy(0, innerHeight));
  }
}
