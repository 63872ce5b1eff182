import Link from "next/link";

/** A view whose address breaks a rule (a window too long, a bad as_of): the rule, and a way back. */
export function ViewRefused({ message, back }: { message: string; back: string }) {
  return (
    <div className="error" role="alert" data-testid="view-refused">
      <p>This view cannot be shown: {message}</p>
      <Link href={back}>Back to the default view</Link>
    </div>
  );
}
