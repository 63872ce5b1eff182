import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { PasswordSignInForm } from "@/components/auth/sign-in-form";
import { getSignInOptions } from "@/lib/services/accounts";
import { publicPageContext, safeReturnPath } from "@/lib/services/entries";
import { demoSignInAction, passwordSignInAction, providerSignInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const ERRORS: Record<string, string> = {
  NoAccount: "That account is not set up here: ask an admin to add your email address.",
  CredentialsSignin: "That email and password do not match an account.",
};

export default async function SignInPage({ searchParams }: Props) {
  await connection();
  const search = await searchParams;
  const callbackUrl = safeReturnPath(typeof search.callbackUrl === "string" ? search.callbackUrl : "/");
  const ctx = await publicPageContext();
  if (ctx.actor.kind !== "anonymous") redirect(callbackUrl);
  const options = await getSignInOptions(ctx);
  const error = typeof search.error === "string" ? (ERRORS[search.error] ?? "Signing in did not work. Try again.") : null;
  return (
    <div className="narrow">
      <h1>Sign in to Throughline</h1>
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      {options.needsSetup ? (
        <p className="card" data-testid="setup-link">
          No account exists yet. <Link href="/setup">Set up Throughline: create the first admin</Link>.
        </p>
      ) : null}
      <section className="card">
        <PasswordSignInForm signIn={passwordSignInAction} callbackUrl={callbackUrl} />
        {options.providers.map((p) => (
          <form key={p.id} action={providerSignInAction} className="inline-form">
            <input type="hidden" name="provider" value={p.id} />
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <button type="submit">Sign in with {p.name}</button>
          </form>
        ))}
      </section>
      {options.demo ? (
        <section className="card demo-offer" data-testid="demo-offer">
          <h2>Explore the demo</h2>
          <p className="explain">Look around three demo teams as a read-only visitor, without an account. Nothing can be changed.</p>
          <form action={demoSignInAction}>
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <button type="submit">Explore the demo (read-only)</button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
