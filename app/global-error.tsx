"use client";

import "./globals.css";

/** When even the root layout fails: its own document, the same plain words and only the digest. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Throughline</title>
        <main className="page">
          <div className="empty" role="alert" data-testid="error-page">
            <h1>Something went wrong</h1>
            <p>Throughline could not show this page because something failed while it was being prepared. Trying again often helps.</p>
            {digest ? (
              <p className="muted">
                If it keeps happening, give your administrator this reference: <code>{digest}</code>
              </p>
            ) : null}
            <p>
              <button type="button" onClick={() => retry()}>
                Try again
              </button>{" "}
              {/* A full load, not a client navigation: the app's own layout is what failed. */}
              {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
              <a href="/">Go to the teams overview</a>
            </p>
          </div>
        </main>
      </body>
    </html>
  );
}
