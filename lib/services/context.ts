// The one door: every service function takes this context and checks the actor before it reads
// or writes. Entries (routes, actions, pages, the CLI) build it in lib/services/entries.ts.
import "server-only";
import type { Actor, Refusal } from "../auth/permissions";
import type { Db } from "../db/client";
import { AppError } from "../errors";

export interface ServiceContext {
  db: Db;
  actor: Actor;
  now: Date;
  engine: "postgres" | "pglite";
}

const MESSAGES: Record<Refusal, string> = {
  UNAUTHORIZED: "Sign in first (or send an API token: Authorization: Bearer <token>).",
  TEAM_NOT_FOUND: "No such team.",
  FORBIDDEN: "Your role does not allow this.",
};

/** Throws the refusal a permission check returned, if any. */
export function allow(refusal: Refusal | null, notFound?: string): void {
  if (refusal === null) return;
  throw new AppError(refusal, refusal === "TEAM_NOT_FOUND" && notFound ? notFound : MESSAGES[refusal]);
}
