/** CHROMIUM_PATH, Debian's Chromium, or "bundled" for Playwright's own download; null when none is there. */
export function findBrowser(): string | null;
