"use client";

import Link from "next/link";

/**
 * Whatever a page throws. In production Next sends the browser no message of a server error, only
 * its digest (the reference in the server log), and this page shows nothing more than that.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  return (
    <div className="empty" role="alert" data-testid="error-page">
      <h1>Something went wrong</h1>
      <p>This page could not be shown because something failed while it was being prepared. Trying again often helps.</p>
      {digest ? (
        <p className="muted">
          If it keeps happening, give your administrator this reference: <code>{digest}</code>
        </p>
      ) : null}
      <p>
        <button type="button" onClick={() => retry()}>
          Try again
        </button>{" "}
        <Link href="/">Go to the teams overview</Link>
      </p>
    </div>
  );
}
