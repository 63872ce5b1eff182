"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { importKpis, readKpiText } from "@/lib/ingest/kpi";

export interface UploadState {
  ok?: string;
  error?: string;
}

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** A KPI file uploaded from the browser: the same reader and importer as the CLI. */
export async function uploadKpiAction(_prev: UploadState, form: FormData): Promise<UploadState> {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { error: "Choose a CSV (kpi,date,value[,segment]) or JSON file." };
  if (file.size > MAX_UPLOAD_BYTES) return { error: "The file is larger than 20 MB: use `throughline import kpi` instead." };
  const aggregation = String(form.get("aggregation") ?? "sum") as "sum" | "last" | "avg";
  try {
    const batch = await readKpiText(file.name, await file.text(), { aggregation: ["sum", "last", "avg"].includes(aggregation) ? aggregation : "sum" });
    const summary = await importKpis(await getDb(), batch);
    revalidatePath("/kpis");
    return { ok: `Imported ${summary.counts.points} points for ${summary.counts.kpis} KPI(s): ${summary.counts.changed} new or changed, ${summary.counts.unchanged} unchanged.` };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    console.error(error);
    return { error: "Something went wrong on our side." };
  }
}

/** Defines (or redefines) a KPI without points; its points come later by upload, push or schedule. */
export async function defineKpiAction(_prev: UploadState, form: FormData): Promise<UploadState> {
  const value = (k: string) => String(form.get(k) ?? "").trim();
  const definition = { key: value("key"), name: value("name") || undefined, unit: value("unit") || null, aggregation: value("aggregation") as "sum" | "last" | "avg" };
  try {
    await importKpis(await getDb(), { name: `ui:define ${definition.key}`, definitions: [definition], redefine: true, points: [] });
    revalidatePath("/kpis");
    return { ok: `KPI "${definition.name ?? definition.key}" saved.` };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    console.error(error);
    return { error: "Something went wrong on our side." };
  }
}
