// Annotations: notes on a team's timeline, read with the team, written by its members and admins.
import "server-only";
import { z } from "zod";
import { canCreateAnnotation, canEditAnnotation, canListTeams, canReadAnnotations, type Actor } from "../auth/permissions";
import type { Db } from "../db/client";
import {
  deleteAnnotation as removeAnnotation,
  getAnnotation,
  insertAnnotation,
  listTeamAnnotations,
  updateAnnotation as storeAnnotation,
  type AnnotationRow,
} from "../db/queries/annotations";
import { AppError, invalidInput } from "../errors";
import { LocalDateInput } from "../metrics/params";
import { daysBetween, formatInstant, isLocalDate } from "../time/calendar";
import { allow, type ServiceContext } from "./context";
import { requireTeam } from "./teams";

export const MAX_ANNOTATION_DAYS = 366;

const requiredDate = z.string({ error: "is required (YYYY-MM-DD)" }).pipe(LocalDateInput);
const isRange = (a: { starts_on: unknown; ends_on: unknown }) =>
  typeof a.starts_on === "string" && typeof a.ends_on === "string" && isLocalDate(a.starts_on) && isLocalDate(a.ends_on);
/** A form's empty field is no value. */
const blankAsNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const AnnotationInput = z
  .object({
    starts_on: requiredDate,
    /** Absent, empty or the start date: a single day. */
    ends_on: z.preprocess(blankAsNull, LocalDateInput.nullish()).transform((v) => v ?? null),
    label: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(80, { error: "may be at most 80 characters" }),
    note: z
      .preprocess(blankAsNull, z.string({ error: "must be text" }).trim().max(2000, { error: "may be at most 2000 characters" }).nullish())
      .transform((v) => v ?? null),
  })
  // Zod runs these even when a date above failed: they judge only two real dates.
  .refine((a) => !isRange(a) || a.ends_on! >= a.starts_on, { error: "must not be before starts_on", path: ["ends_on"] })
  .refine((a) => !isRange(a) || daysBetween(a.starts_on, a.ends_on!) < MAX_ANNOTATION_DAYS, {
    error: `a range may be at most ${MAX_ANNOTATION_DAYS} days`,
    path: ["ends_on"],
  })
  .transform((a) => ({ ...a, ends_on: a.ends_on === a.starts_on ? null : a.ends_on }));

export type AnnotationInput = z.input<typeof AnnotationInput>;

export const AnnotationWindowInput = z
  .object({ from: requiredDate, to: requiredDate })
  .refine((w) => !(isLocalDate(String(w.from)) && isLocalDate(String(w.to))) || w.from <= w.to, { error: "must not be after to", path: ["from"] });

/** An annotation as pages, the API and shared views show it. */
export interface Annotation {
  id: number;
  starts_on: string;
  /** Null: the single day starts_on. */
  ends_on: string | null;
  label: string;
  note: string | null;
  /** The author's name; null if the account is gone or the CLI made it. */
  author: string | null;
  created_at: string;
  updated_at: string;
  /** Whether the reader may edit or delete it. */
  editable: boolean;
}

const NOT_FOUND = "No such annotation.";

function shown(row: AnnotationRow, actor: Actor | null): Annotation {
  return {
    id: row.id,
    starts_on: row.startsOn,
    ends_on: row.endsOn,
    label: row.label,
    note: row.note,
    author: row.authorName,
    created_at: formatInstant(row.createdAt),
    updated_at: formatInstant(row.updatedAt),
    editable: actor !== null && canEditAnnotation(actor, row.teamId, row.createdBy) === null,
  };
}

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

/** A team's annotations that touch the window [from, to] (dates in the team's timezone). */
export async function listAnnotations(ctx: ServiceContext, teamKey: string, window: { from?: string; to?: string }): Promise<Annotation[]> {
  const team = await requireTeam(ctx, teamKey);
  allow(canReadAnnotations(ctx.actor, team.id));
  const { from, to } = parsed(AnnotationWindowInput, window);
  return (await listTeamAnnotations(ctx.db, { teamId: team.id, from, to })).map((row) => shown(row, ctx.actor));
}

/**
 * A team's annotations in a window with no permission check: for lib/services/share-links.ts,
 * which has checked the share link. Nothing is editable there.
 */
export async function listAnnotationsForTeam(db: Db, teamId: number, from: string, to: string): Promise<Annotation[]> {
  return (await listTeamAnnotations(db, { teamId, from, to })).map((row) => shown(row, null));
}

/** Whether the actor may annotate the team (the dashboard offers the form only then). */
export function mayAnnotate(ctx: ServiceContext, teamId: number): boolean {
  return canCreateAnnotation(ctx.actor, teamId) === null;
}

export async function createAnnotation(ctx: ServiceContext, teamKey: string, input: unknown): Promise<Annotation> {
  const team = await requireTeam(ctx, teamKey);
  allow(canCreateAnnotation(ctx.actor, team.id));
  const a = parsed(AnnotationInput, input);
  const id = await insertAnnotation(ctx.db, {
    teamId: team.id,
    startsOn: a.starts_on,
    endsOn: a.ends_on,
    label: a.label,
    note: a.note,
    createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    at: ctx.now,
  });
  return shown((await getAnnotation(ctx.db, id))!, ctx.actor);
}

/** The annotation, if the actor may edit it; another team's is "not found" like a missing one. */
async function editable(ctx: ServiceContext, id: number): Promise<AnnotationRow> {
  allow(canListTeams(ctx.actor));
  const row = Number.isSafeInteger(id) && id > 0 ? await getAnnotation(ctx.db, id) : null;
  if (!row) throw new AppError("NOT_FOUND", NOT_FOUND);
  allow(canEditAnnotation(ctx.actor, row.teamId, row.createdBy), NOT_FOUND);
  return row;
}

/** Replaces an annotation's dates, label and note. */
export async function updateAnnotation(ctx: ServiceContext, id: number, input: unknown): Promise<Annotation> {
  await editable(ctx, id);
  const a = parsed(AnnotationInput, input);
  const changed = await storeAnnotation(ctx.db, id, { startsOn: a.starts_on, endsOn: a.ends_on, label: a.label, note: a.note, at: ctx.now });
  const row = changed ? await getAnnotation(ctx.db, id) : null;
  if (!row) throw new AppError("NOT_FOUND", NOT_FOUND);
  return shown(row, ctx.actor);
}

export async function deleteAnnotation(ctx: ServiceContext, id: number): Promise<void> {
  await editable(ctx, id);
  if (!(await removeAnnotation(ctx.db, id))) throw new AppError("NOT_FOUND", NOT_FOUND);
}
