"use server";

import { revalidatePath } from "next/cache";
import { createAnnotation, deleteAnnotation, updateAnnotation } from "@/lib/services/annotations";
import { withAction, withFormAction } from "@/lib/services/entries";

/** The numeric id a form posted, or null for anything else. */
function formId(form: FormData): number | null {
  const id = Number(form.get("id"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

const text = (form: FormData, k: string) => String(form.get(k) ?? "");

function annotationOf(form: FormData) {
  return { starts_on: text(form, "starts_on"), ends_on: text(form, "ends_on"), label: text(form, "label"), note: text(form, "note") };
}

// Every team page shows its annotations, and the outcomes page those of its team.
function revalidateAnnotated() {
  revalidatePath("/teams/[team]", "page");
  revalidatePath("/outcomes");
}

export const createAnnotationAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const annotation = await createAnnotation(ctx, text(form, "team"), annotationOf(form));
  revalidateAnnotated();
  return { ok: `Added "${annotation.label}".` };
});

export const updateAnnotationAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const id = formId(form);
  if (id === null) return { error: "No such annotation." };
  const annotation = await updateAnnotation(ctx, id, annotationOf(form));
  revalidateAnnotated();
  return { ok: `Saved "${annotation.label}".` };
});

export const deleteAnnotationAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await deleteAnnotation(ctx, id);
  revalidateAnnotated();
});
