import Link from "next/link";

/** The same page whether a thing does not exist or is not the viewer's to see (access spec). */
export default function NotFound() {
  return (
    <div className="empty" data-testid="not-found">
      <h1>Not found</h1>
      <p>There is nothing to show at this address. The link may be mistyped or out of date.</p>
      <p>
        <Link href="/">Go to the teams overview</Link>
      </p>
    </div>
  );
}
