"use client";

import { useActionState } from "react";
import { FormMessage, type FormAction } from "../forms/form-parts";

/** The invitee's name and password; email, role and teams come from the invite. */
export function AcceptInviteForm({ accept, token, email }: { accept: FormAction; token: string; email: string }) {
  const [state, action, pending] = useActionState(accept, {});
  return (
    <form action={action} className="stack-form" aria-label="Accept the invite">
      <input type="hidden" name="token" value={token} />
      <label>
        Email <input value={email} readOnly autoComplete="username" />
      </label>
      <label>
        Your name <input name="name" autoComplete="name" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create my account"}
      </button>
      <FormMessage state={state} testId="invite-accept" />
    </form>
  );
}
