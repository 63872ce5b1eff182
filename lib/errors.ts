// One error hierarchy for the whole app: the API maps it to a status code, the CLI to one line.
import { ZodError } from "zod";

export type ErrorCode =
  | "INVALID_INPUT"
  | "IMPORT_INVALID"
  | "TEAM_NOT_FOUND"
  | "NOT_FOUND"
  | "FILE_NOT_FOUND"
  | "DATABASE_BUSY"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "GONE"
  | "SOURCE_REFUSED"
  | "SOURCE_FAILED"
  | "SYNC_RUNNING"
  | "TOO_LARGE"
  | "TOO_MANY_REQUESTS";

export interface ErrorDetail {
  /** Where the problem is: a file line, a JSON path, a parameter name. */
  where: string;
  message: string;
}

const STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  IMPORT_INVALID: 400,
  TEAM_NOT_FOUND: 404,
  NOT_FOUND: 404,
  FILE_NOT_FOUND: 400,
  DATABASE_BUSY: 503,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  GONE: 410,
  SOURCE_REFUSED: 400,
  SOURCE_FAILED: 502,
  SYNC_RUNNING: 409,
  TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** A path like items[3].transitions[0].at, as a reader of the document would write it. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(document)";
}

export function detailsFromZod(error: ZodError, prefix = ""): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? formatPath(issue.path) : "";
    // Under a JSON path (items[3]) the issue's path continues it; under a file or line it follows ": ".
    const joiner = prefix.endsWith("]") ? (path.startsWith("[") ? "" : ".") : ": ";
    const where = !prefix ? path || "(document)" : path ? `${prefix}${joiner}${path}` : prefix;
    return { where, message: issue.message };
  });
}

export function invalidInput(error: ZodError): AppError {
  const details = detailsFromZod(error);
  const first = details[0];
  return new AppError("INVALID_INPUT", first ? `${first.where}: ${first.message}` : "invalid input", details);
}

/** The error envelope of every API response: `{ error, code, details }`. */
export interface ErrorBody {
  error: string;
  code: string;
  details: ErrorDetail[];
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof ZodError) error = invalidInput(error);
  if (error instanceof AppError) {
    const body: ErrorBody = { error: error.message, code: error.code, details: error.details };
    return Response.json(body, { status: error.status });
  }
  logInternalError(error);
  const body: ErrorBody = { error: "Something went wrong on our side.", code: "INTERNAL", details: [] };
  return Response.json(body, { status: 500 });
}

/**
 * An unexpected error, logged without its message: a database error's message and properties can
 * hold the failed query's parameters (a token, an email), so only its kind, its SQLSTATE and where
 * it was thrown are written.
 */
export function logInternalError(error: unknown): void {
  const e = error as { name?: unknown; code?: unknown; stack?: unknown } | null;
  const name = typeof e?.name === "string" ? e.name : "Error";
  const code = typeof e?.code === "string" ? ` (${e.code})` : "";
  const frames = typeof e?.stack === "string" ? e.stack.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8).join("\n") : "";
  console.error(`internal error: ${name}${code}${frames ? `\n${frames}` : ""}`);
}
