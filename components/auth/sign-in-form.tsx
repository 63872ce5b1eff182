"use client";

import { useActionState } from "react";
import { FormMessage, type FormAction } from "../forms/form-parts";

export function PasswordSignInForm({ signIn, callbackUrl }: { signIn: FormAction; callbackUrl: string }) {
  const [state, action, pending] = useActionState(signIn, {});
  return (
    <form action={action} className="stack-form" aria-label="Sign in with email and password">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <FormMessage state={state} testId="signin" />
    </form>
  );
}

export function SetupForm({ setup }: { setup: FormAction }) {
  const [state, action, pending] = useActionState(setup, {});
  return (
    <form action={action} className="stack-form" aria-label="Create the first admin">
      <label>
        Your name <input name="name" autoComplete="name" required />
      </label>
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create the admin account"}
      </button>
      <FormMessage state={state} testId="setup" />
    </form>
  );
}
