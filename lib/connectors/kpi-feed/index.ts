// A scheduled KPI source: a file in the import folder or an http(s) URL, read under the server's
// policy. Names only what the user gave; never shows what it read.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { env, SECRET_NAME, secretFromEnv } from "../../env";
import { AppError } from "../../errors";
import { fetchText, tooLarge, type OutboundPolicy } from "../http/outbound";

export interface SourcePolicy extends OutboundPolicy {
  /** File sources must lie in this folder (after following links). */
  importDir: string;
}

export function sourcePolicy(): SourcePolicy {
  const e = env();
  return {
    importDir: path.resolve(e.THROUGHLINE_HOME, e.THROUGHLINE_IMPORT_DIR),
    allow: e.THROUGHLINE_FETCH_ALLOW,
    maxBytes: e.THROUGHLINE_FETCH_MAX_BYTES,
    timeoutMs: e.THROUGHLINE_FETCH_TIMEOUT_MS,
  };
}

export interface KpiSource {
  kind: "url" | "file";
  /** The URL, or the file's path (absolute, or relative to the import folder). */
  location: string;
  /** A THROUGHLINE_SECRET_* variable holding the Authorization header value. */
  authEnv?: string | null;
}

export function checkSecretName(name: string) {
  if (!SECRET_NAME.test(name)) {
    throw new AppError("INVALID_INPUT", `authEnv: only variables named THROUGHLINE_SECRET_… can be sent as a source's Authorization header, not ${name}`, [
      { where: "authEnv", message: "must be named THROUGHLINE_SECRET_…" },
    ]);
  }
}

/** The file's real path if it is a regular file inside the import folder; refuses anything else. */
export async function resolveImportFile(location: string, policy: Pick<SourcePolicy, "importDir">): Promise<string> {
  const outside = () =>
    new AppError("SOURCE_REFUSED", `${location}: file sources must be in the import folder ${policy.importDir} (THROUGHLINE_IMPORT_DIR)`, [
      { where: "file", message: "outside the import folder" },
    ]);
  let folder: string;
  try {
    folder = await fs.realpath(policy.importDir);
  } catch {
    throw new AppError("FILE_NOT_FOUND", `the import folder ${policy.importDir} does not exist: create it, or set THROUGHLINE_IMPORT_DIR`);
  }
  let real: string;
  try {
    real = await fs.realpath(path.resolve(folder, location));
  } catch {
    if (!path.resolve(folder, location).startsWith(folder + path.sep)) throw outside();
    throw new AppError("FILE_NOT_FOUND", `${location}: no such file in the import folder`);
  }
  if (!real.startsWith(folder + path.sep)) throw outside();
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new AppError("SOURCE_REFUSED", `${location}: not a regular file`, [{ where: "file", message: "not a regular file" }]);
  return real;
}

export async function readKpiSource(source: KpiSource, policy: SourcePolicy = sourcePolicy()): Promise<string> {
  if (source.kind === "file") {
    const file = await resolveImportFile(source.location, policy);
    const handle = await fs.open(file, "r");
    try {
      const { size } = await handle.stat();
      if (size > policy.maxBytes) throw tooLarge(source.location, policy.maxBytes);
      return await handle.readFile("utf8");
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("FILE_NOT_FOUND", `${source.location}: cannot read the file`);
    } finally {
      await handle.close();
    }
  }
  const headers: Record<string, string> = { accept: "text/csv, application/json" };
  if (source.authEnv) {
    checkSecretName(source.authEnv);
    const secret = secretFromEnv(source.authEnv);
    if (!secret) throw new AppError("INVALID_INPUT", `the environment variable ${source.authEnv} (the source's Authorization header) is not set`);
    headers.authorization = secret;
  }
  return fetchText(source.location, headers, policy);
}

