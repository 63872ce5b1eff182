import "server-only";
import { and, asc, eq, gte, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../client";
import { annotations, users } from "../schema";

export interface AnnotationRow {
  id: number;
  teamId: number;
  startsOn: string;
  endsOn: string | null;
  label: string;
  note: string | null;
  createdBy: number | null;
  /** The author's name; null once the account is gone. */
  authorName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AnnotationValues {
  startsOn: string;
  endsOn: string | null;
  label: string;
  note: string | null;
}

const columns = {
  id: annotations.id,
  teamId: annotations.teamId,
  startsOn: annotations.startsOn,
  endsOn: annotations.endsOn,
  label: annotations.label,
  note: annotations.note,
  createdBy: annotations.createdBy,
  authorName: users.name,
  createdAt: annotations.createdAt,
  updatedAt: annotations.updatedAt,
};

/** A team's annotations that touch [from, to] (dates, both included), earliest first. */
export async function listTeamAnnotations(db: Db, { teamId, from, to }: { teamId: number; from: string; to: string }): Promise<AnnotationRow[]> {
  return db
    .select(columns)
    .from(annotations)
    .leftJoin(users, eq(users.id, annotations.createdBy))
    .where(
      and(
        eq(annotations.teamId, teamId),
        lte(annotations.startsOn, to),
        // A one-day annotation (no end) ends on the day it starts.
        or(gte(annotations.endsOn, from), and(isNull(annotations.endsOn), gte(annotations.startsOn, from))),
      ),
    )
    .orderBy(asc(annotations.startsOn), asc(annotations.id));
}

export async function getAnnotation(db: Db, id: number): Promise<AnnotationRow | null> {
  const [row] = await db.select(columns).from(annotations).leftJoin(users, eq(users.id, annotations.createdBy)).where(eq(annotations.id, id));
  return row ?? null;
}

export async function insertAnnotation(db: Db, values: AnnotationValues & { teamId: number; createdBy: number | null; at: Date }): Promise<number> {
  const { at, ...rest } = values;
  const [row] = await db
    .insert(annotations)
    .values({ ...rest, createdAt: at, updatedAt: at })
    .returning({ id: annotations.id });
  return row!.id;
}

/** True if the annotation existed and was changed. */
export async function updateAnnotation(db: Db, id: number, values: AnnotationValues & { at: Date }): Promise<boolean> {
  const { at, ...rest } = values;
  const rows = await db
    .update(annotations)
    .set({ ...rest, updatedAt: at })
    .where(eq(annotations.id, id))
    .returning({ id: annotations.id });
  return rows.length > 0;
}

/** True if the annotation existed. */
export async function deleteAnnotation(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(annotations).where(eq(annotations.id, id)).returning({ id: annotations.id });
  return rows.length > 0;
}
