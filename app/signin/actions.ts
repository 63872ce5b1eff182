"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { safeReturnPath } from "@/lib/services/entries";
import type { FormOutcome } from "@/components/forms/form-parts";

/** Email and password: on success Auth.js redirects (thrown, and let through). */
export async function passwordSignInAction(_prev: FormOutcome, form: FormData): Promise<FormOutcome> {
  try {
    await signIn("password", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirectTo: safeReturnPath(String(form.get("callbackUrl") ?? "/")),
    });
    return {};
  } catch (error) {
    // One message for a wrong email and a wrong password: nobody learns which accounts exist.
    if (error instanceof AuthError) return { error: "That email and password do not match an account." };
    throw error;
  }
}

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
