"use server";

import { redirect } from "next/navigation";
import { setupFirstAdmin } from "@/lib/services/accounts";
import { withAction } from "@/lib/services/entries";

export const setupAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  await setupFirstAdmin(ctx, { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") });
  redirect("/signin?setup=done");
});
