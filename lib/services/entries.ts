// One small wrapper per kind of entry — route handler, server action, page, CLI — that finds out
// who is asking, builds the service context and maps errors once. Nothing else builds a context.
import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import { actorForBearer, actorForSession } from "../auth/actors";
import { auth } from "../auth/next-auth";
import { ANONYMOUS, type Actor } from "../auth/permissions";
import { getDatabase, type Database } from "../db/client";
import { AppError, logInternalError, toErrorResponse } from "../errors";
import type { ServiceContext } from "./context";

async function sessionActor(database: Database): Promise<Actor> {
  // A cookie that does not verify is no session; Next's own signals (dynamic use) pass through.
  const session = await auth().catch((error: unknown) => {
    if (isNextSignal(error) || (error as { digest?: unknown } | null)?.digest === "DYNAMIC_SERVER_USAGE") throw error;
    return null;
  });
  return actorForSession(database.db, database.engine, session ? { userId: session.uid, demo: session.demo } : null);
}

async function contextFor(actor: (database: Database) => Promise<Actor>): Promise<ServiceContext> {
  const database = await getDatabase();
  return { db: database.db, engine: database.engine, actor: await actor(database), now: new Date() };
}

/**
 * A route handler: an `Authorization: Bearer` token if one is sent (and then only it), else the
 * session cookie. Errors become the API's envelope; unknown ones a bare 500.
 */
export function withRoute<P extends Record<string, string>>(
  handler: (ctx: ServiceContext, request: Request, params: P) => Promise<Response | object>,
  options: { tokenOnly?: boolean } = {},
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const authorization = request.headers.get("authorization");
      // Machine endpoints that write (the push API) take a token only: no cookie rides along.
      const ctx = await contextFor((database) =>
        authorization !== null ? actorForBearer(database.db, authorization) : options.tokenOnly ? Promise.resolve(ANONYMOUS) : sessionActor(database),
      );
      const result = await handler(ctx, request, await route.params);
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** The query string as a plain object (repeated names: the first one). */
export function queryOf(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(request.url).searchParams) if (!(k in out)) out[k] = v;
  return out;
}

export interface ActionState {
  ok?: string;
  error?: string;
  /** A new secret (an API token), shown once. */
  token?: string;
}

/** A server action (form state style): the session's actor; a refusal or bad input becomes a message. */
export function withAction<A extends unknown[]>(fn: (ctx: ServiceContext, ...args: A) => Promise<ActionState | void>) {
  return async (...args: A): Promise<ActionState> => {
    try {
      const ctx = await contextFor(sessionActor);
      return (await fn(ctx, ...args)) ?? {};
    } catch (error) {
      if (error instanceof AppError) return { error: error.message };
      // Next's redirect() and notFound() are thrown: let them through.
      if (isNextSignal(error)) throw error;
      logInternalError(error);
      return { error: "Something went wrong on our side." };
    }
  };
}

/**
 * A server action behind a plain button form (no message area): refusals and bad input change
 * nothing and show nothing more than the page re-rendered.
 */
export function withFormAction(fn: (ctx: ServiceContext, form: FormData) => Promise<void>) {
  const run = withAction(async (ctx, form: FormData) => {
    await fn(ctx, form);
  });
  return async (form: FormData): Promise<void> => {
    await run(form);
  };
}

function isNextSignal(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK") || digest === "NEXT_NOT_FOUND");
}

/**
 * A page: the session's actor; without one, off to sign in and back. `path` is where to come back
 * to (the page's own address).
 */
export async function pageContext(path: string): Promise<ServiceContext> {
  const ctx = await renderContext();
  if (ctx.actor.kind === "anonymous") redirect(`/signin?callbackUrl=${encodeURIComponent(safeReturnPath(path))}`);
  return ctx;
}

/** A page anyone may open (sign-in, setup): the actor, possibly anonymous. */
export async function publicPageContext(): Promise<ServiceContext> {
  return renderContext();
}

/**
 * One per page render (React's cache lives as long as the request): the layout and the page ask
 * who is signed in once, not twice; a session is a decrypted cookie and a query.
 */
const renderContext = cache(() => contextFor(sessionActor));

/**
 * A page's service call: a resource outside the reader's teams is the same "not found" page; an
 * action the role lacks is the 403 page (app/forbidden.tsx).
 */
export async function forPage<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AppError && (error.code === "TEAM_NOT_FOUND" || error.code === "NOT_FOUND")) notFound();
    if (error instanceof AppError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}

/** Only same-site paths: a sign-in link must never send someone to another site. */
export function safeReturnPath(path: string | undefined | null): string {
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  return path;
}
