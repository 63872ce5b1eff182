"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { safeReturnPath, withAction } from "@/lib/services/entries";
import type { FormOutcome } from "@/components/forms/form-parts";

/**
 * Email and password: on success Auth.js redirects (thrown, and let through). Too many attempts for
 * the email or from the address are refused in authorize() before any password is checked.
 */
export const passwordSignInAction = withAction(async (_ctx, _prev: FormOutcome, form: FormData): Promise<FormOutcome> => {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("password", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeReturnPath(String(form.get("callbackUrl") ?? "/")),
    });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "rate_limited") return { error: "Too many sign-in attempts: try again in a few minutes." };
    // One message for a wrong email and a wrong password: nobody learns which accounts exist.
    if (error instanceof AuthError) return { error: "That email and password do not match an account." };
    throw error;
  }
});

export async function demoSignInAction(form: FormData): Promise<void> {
  try {
    await signIn("demo", { redirectTo: safeReturnPath(String(form.get("callbackUrl") ?? "/")) });
  } catch (error) {
    if (error instanceof AuthError) return;
    throw error;
  }
}

export async function providerSignInAction(form: FormData): Promise<void> {
  const provider = String(form.get("provider") ?? "");
  if (provider !== "github" && provider !== "oidc") return;
  await signIn(provider, { redirectTo: safeReturnPath(String(form.get("callbackUrl") ?? "/")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
