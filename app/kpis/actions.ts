"use server";

import { revalidatePath } from "next/cache";
import { withAction } from "@/lib/services/entries";
import { defineKpi, uploadKpiFile } from "@/lib/services/kpis";

const aggregationOf = (form: FormData): "sum" | "last" | "avg" => {
  const a = String(form.get("aggregation") ?? "sum");
  return a === "last" || a === "avg" ? a : "sum";
};

/** A KPI file uploaded from the browser: the same reader and importer as the CLI. */
export const uploadKpiAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { error: "Choose a CSV (kpi,date,value[,segment]) or JSON file." };
  const summary = await uploadKpiFile(ctx, file, aggregationOf(form));
  revalidatePath("/kpis");
  return { ok: `Imported ${summary.counts.points} points for ${summary.counts.kpis} KPI(s): ${summary.counts.changed} new or changed, ${summary.counts.unchanged} unchanged.` };
});

/** Defines (or redefines) a KPI without points; its points come later by upload, push or schedule. */
export const defineKpiAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const value = (k: string) => String(form.get(k) ?? "").trim();
  const definition = { key: value("key"), name: value("name") || undefined, unit: value("unit") || null, aggregation: aggregationOf(form) };
  await defineKpi(ctx, definition);
  revalidatePath("/kpis");
  return { ok: `KPI "${definition.name ?? definition.key}" saved.` };
});
