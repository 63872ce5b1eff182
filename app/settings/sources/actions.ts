"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { withAction } from "@/lib/services/entries";
import { addSource, removeSource, reviewSourceMapping, syncSourceNow, testSource } from "@/lib/services/sources";
import { describeSyncCounts, settingsFromForm } from "@/lib/views/source-form";

const text = (form: FormData, k: string) => String(form.get(k) ?? "").trim() || undefined;
const sourceName = (form: FormData) => text(form, "source") ?? "";

export const addSourceAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const created = await addSource(ctx, {
    name: text(form, "name") ?? "",
    kind: (text(form, "kind") ?? "") as never,
    team: text(form, "team") ?? "",
    secretEnv: text(form, "secretEnv") ?? "",
    settings: settingsFromForm(form),
    cron: text(form, "cron"),
    timezone: text(form, "timezone"),
  });
  revalidatePath("/settings/sources");
  redirect(`/settings/sources/${encodeURIComponent(created.name)}`);
});

export const testSourceAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const { description } = await testSource(ctx, sourceName(form));
  return { ok: `Connected: ${description}.` };
});

export const syncSourceAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const name = sourceName(form);
  const summary = await syncSourceNow(ctx, name, { full: form.get("full") === "true" });
  revalidatePath(`/settings/sources/${encodeURIComponent(name)}`);
  revalidatePath("/settings/sources");
  return { ok: `Synced: ${describeSyncCounts(summary.counts)}.` };
});

export const reviewMappingAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const name = sourceName(form);
  const ids = form.getAll("status").map(String);
  const choices = Object.fromEntries(
    ids.map((id) => [id, { category: String(form.get(`category:${id}`) ?? ""), blocked: form.get(`blocked:${id}`) === "on", discarded: form.get(`discarded:${id}`) === "on" }]),
  );
  await reviewSourceMapping(ctx, name, choices);
  revalidatePath(`/settings/sources/${encodeURIComponent(name)}`);
  return { ok: "Mapping saved: the next sync applies it to the stored history, without fetching again." };
});

export const removeSourceAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  await removeSource(ctx, sourceName(form));
  revalidatePath("/settings/sources");
  redirect("/settings/sources");
});
