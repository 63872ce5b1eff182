"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { withAction } from "@/lib/services/entries";
import { acceptInvite } from "@/lib/services/invites";
import { clientAddressOf, limitInviteAcceptance } from "@/lib/services/rate-limit";

/** The invitee makes their account, then signs in with it. */
export const acceptInviteAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const token = String(form.get("token") ?? "");
  await limitInviteAcceptance(ctx, token, clientAddressOf(await headers()));
  await acceptInvite(ctx, token, { name: String(form.get("name") ?? ""), password: String(form.get("password") ?? "") });
  redirect("/signin");
});
