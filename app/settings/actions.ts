"use server";

import { revalidatePath } from "next/cache";
import { createUser } from "@/lib/services/accounts";
import { withAction, withFormAction } from "@/lib/services/entries";
import { createOwnToken, createSchedule, revokeToken, runScheduleNow, setDemoOffered, setScheduleOn } from "@/lib/services/settings";

/** The numeric id a form posted, or null for anything else. */
function formId(form: FormData): number | null {
  const id = Number(form.get("id"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

const text = (form: FormData, k: string) => String(form.get(k) ?? "").trim() || undefined;

export const createTokenAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const scopes = form.getAll("scopes").map(String);
  const { name, token } = await createOwnToken(ctx, { name: text(form, "name") ?? "", scopes });
  revalidatePath("/settings");
  revalidatePath("/account");
  return { ok: `Token "${name}" created. Copy it now: it is not shown again.`, token };
});

export const revokeTokenAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await revokeToken(ctx, id);
  revalidatePath("/settings");
  revalidatePath("/account");
});

export const createScheduleAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const schedule = await createSchedule(ctx, {
    name: text(form, "name"),
    cron: text(form, "cron"),
    timezone: text(form, "timezone"),
    url: text(form, "url"),
    file: text(form, "file"),
    authEnv: text(form, "authEnv"),
    aggregation: text(form, "aggregation"),
  });
  revalidatePath("/settings");
  return { ok: `Schedule "${schedule.name}" added.` };
});

export const runNowAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await runScheduleNow(ctx, id);
  revalidatePath("/settings");
});

export const toggleScheduleAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await setScheduleOn(ctx, id, form.get("enabled") === "true");
  revalidatePath("/settings");
});

export const setDemoAction = withFormAction(async (ctx, form: FormData) => {
  await setDemoOffered(ctx, form.get("offered") === "true");
  revalidatePath("/settings");
});

export const createUserAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const teams = text(form, "teams")
    ?.split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const user = await createUser(ctx, { email: text(form, "email"), name: text(form, "name"), password: text(form, "password"), role: text(form, "role"), teams });
  revalidatePath("/settings");
  return { ok: `${user.name} (${user.email}) can now sign in as ${user.role}.` };
});
