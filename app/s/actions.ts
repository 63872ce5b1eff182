"use server";

import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/errors";
import { withAction, withFormAction } from "@/lib/services/entries";
import { createShareLink, revokeShareLink } from "@/lib/services/share-links";

/** The view's parameters the form carries as JSON; anything else is a refusal naming the field. */
function viewOf(form: FormData): unknown {
  try {
    return JSON.parse(String(form.get("view") ?? "{}"));
  } catch {
    throw new AppError("INVALID_INPUT", "view: must be the view's parameters as JSON", [{ where: "view", message: "not JSON" }]);
  }
}

/** Share the view the form describes; the link's address is in the answer, once. */
export const createShareLinkAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const view = viewOf(form);
  const link = await createShareLink(ctx, {
    team: String(form.get("team") ?? ""),
    kind: String(form.get("kind") ?? ""),
    chart: form.get("chart") ? String(form.get("chart")) : undefined,
    view: typeof view === "object" && view !== null ? view : {},
    window: String(form.get("window") ?? "fixed"),
    rolling_days: form.get("rolling_days") ? String(form.get("rolling_days")) : undefined,
    expires_in_days: form.get("expires_in_days") ? String(form.get("expires_in_days")) : undefined,
  });
  revalidatePath("/account");
  revalidatePath("/settings");
  return { ok: link.expiresAt ? `Anyone with this link sees the view until ${link.expiresAt.toISOString().slice(0, 10)}.` : "Anyone with this link sees the view until it is revoked.", token: link.path };
});

export const revokeShareLinkAction = withFormAction(async (ctx, form: FormData) => {
  const id = Number(form.get("id"));
  if (!Number.isInteger(id) || id <= 0) return;
  await revokeShareLink(ctx, id);
  revalidatePath("/account");
  revalidatePath("/settings");
});
