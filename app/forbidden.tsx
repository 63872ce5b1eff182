import Link from "next/link";

/** A page the signed-in person's role does not open (status 403). */
export default function Forbidden() {
  return (
    <div className="empty" data-testid="forbidden">
      <h1>Not for your role</h1>
      <p>You are signed in, but this page is for admins. Ask an admin if you need something changed here.</p>
      <p>
        <Link href="/">Go to the teams overview</Link>
      </p>
    </div>
  );
}
