"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/access/api-tokens";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getAppScheduler } from "@/lib/jobs/app-scheduler";
import { runScheduledImport } from "@/lib/jobs/scheduled-import";
import { createSchedule, setScheduleEnabled } from "@/lib/jobs/schedules";

export interface ActionState {
  ok?: string;
  error?: string;
  /** A new API token, shown once. */
  token?: string;
}

function failure(error: unknown): ActionState {
  if (error instanceof AppError) return { error: error.message };
  console.error(error);
  return { error: "Something went wrong on our side." };
}

export async function createTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const name = String(form.get("name") ?? "").trim();
  if (!name) return { error: "Give the token a name (who or what uses it)." };
  const { token } = await createApiToken(await getDb(), name);
  revalidatePath("/settings");
  return { ok: `Token "${name}" created. Copy it now: it is not shown again.`, token };
}

/** The numeric id a form posted, or null for anything else. */
function formId(form: FormData): number | null {
  const id = Number(form.get("id"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const id = formId(form);
  if (id === null) return;
  await revokeApiToken(await getDb(), id);
  revalidatePath("/settings");
}

export async function createScheduleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const value = (k: string) => (String(form.get(k) ?? "").trim() || undefined);
    const schedule = await createSchedule(await getDb(), {
      name: value("name"),
      cron: value("cron"),
      timezone: value("timezone"),
      url: value("url"),
      file: value("file"),
      authEnv: value("authEnv"),
      aggregation: value("aggregation"),
    });
    await (await getAppScheduler())?.sync();
    revalidatePath("/settings");
    return { ok: `Schedule "${schedule.name}" added.` };
  } catch (error) {
    return failure(error);
  }
}

export async function runNowAction(form: FormData): Promise<void> {
  const id = formId(form);
  if (id === null) return;
  const scheduler = await getAppScheduler();
  // Through the queue when a scheduler runs here (retries included); else once, directly.
  if (scheduler) await scheduler.runNow(id);
  else await runScheduledImport(await getDb(), id).catch(() => {});
  revalidatePath("/settings");
}

export async function toggleScheduleAction(form: FormData): Promise<void> {
  const id = formId(form);
  if (id === null) return;
  await setScheduleEnabled(await getDb(), id, form.get("enabled") === "true");
  await (await getAppScheduler())?.sync();
  revalidatePath("/settings");
}
