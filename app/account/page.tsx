import type { Metadata } from "next";
import { connection } from "next/server";
import { TokenList } from "@/components/settings/token-list";
import { CreateTokenForm } from "@/components/settings/forms";
import { ShareLinkList } from "@/components/share/share-link-list";
import { listShareLinks } from "@/lib/services/share-links";
import { revokeShareLinkAction } from "../s/actions";
import { forPage, pageContext } from "@/lib/services/entries";
import { getAccountView } from "@/lib/services/settings";
import { createTokenAction, revokeTokenAction } from "../settings/actions";

export const metadata: Metadata = { title: "Your account" };


/** The signed-in person's own API tokens (members and admins). */
export default async function AccountPage() {
  await connection();
  const ctx = await pageContext("/account");
  const { name, role, tokens, scopes } = await forPage(getAccountView(ctx));
  const links = await listShareLinks(ctx);
  return (
    <>
      <h1>{name}</h1>
      <p className="lede">Signed in as {role}.</p>
      <section className="card">
        <h2>Your API tokens</h2>
        <p className="explain">
          A token acts for you, within its scopes, and never does more than you may: <code>metrics:read</code> reads your teams&apos; metrics.
        </p>
        <TokenList tokens={tokens} revoke={revokeTokenAction} testId="own-tokens" />
        <CreateTokenForm create={createTokenAction} scopes={scopes} />
      </section>
      <section className="card">
        <h2>{role === "admin" ? "Share links" : "Your share links"}</h2>
        <p className="explain">Each opens one view without an account. Revoking one works at once: the link then answers “expired”.</p>
        <ShareLinkList links={links} revoke={revokeShareLinkAction} />
      </section>
    </>
  );
}
