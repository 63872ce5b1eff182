import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AcceptInviteForm } from "@/components/auth/accept-invite-form";
import { AppError } from "@/lib/errors";
import { forPage, publicPageContext } from "@/lib/services/entries";
import { getInvite } from "@/lib/services/invites";
import { acceptInviteAction } from "./actions";

export const metadata: Metadata = { title: "Invitation", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

const ROLES = { admin: "an admin (everything)", member: "a member (sees their teams, annotates and shares)", viewer: "a viewer (sees their teams)" };

/** Anyone holding the link: who is invited and as what, and a name and password to accept it. */
export default async function InvitePage({ params }: Props) {
  await connection();
  const { token } = await params;
  const ctx = await publicPageContext();
  let invite;
  try {
    invite = await forPage(getInvite(ctx, token));
  } catch (error) {
    // Used or expired: a plain page saying so (unknown tokens are the not-found page).
    if (!(error instanceof AppError && error.code === "GONE")) throw error;
    return (
      <div className="empty narrow" data-testid="invite-gone">
        <h1>This invite no longer works</h1>
        <p>{error.message}</p>
        <p>
          <Link href="/signin">Sign in</Link> if you made your account already.
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Join Throughline</h1>
      <p className="lede" data-testid="invite-who">
        {invite.email} is invited as {ROLES[invite.role]}.
      </p>
      {ctx.actor.kind === "user" ? <p className="explain">You are signed in already: the new account is another one, to sign in with afterwards.</p> : null}
      <section className="card">
        <AcceptInviteForm accept={acceptInviteAction} token={token} email={invite.email} />
      </section>
    </div>
  );
}
