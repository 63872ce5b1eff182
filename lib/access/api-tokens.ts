// API tokens: created with a random secret shown once, stored as a SHA-256 hash, revocable.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiTokens } from "../db/schema";

const PREFIX = "tl_";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(db: Db, name: string): Promise<{ id: number; token: string }> {
  const token = `${PREFIX}${randomBytes(24).toString("base64url")}`;
  const [row] = await db.insert(apiTokens).values({ name, tokenHash: hashToken(token), prefix: token.slice(0, 8) }).returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

export async function revokeApiToken(db: Db, id: number): Promise<void> {
  await db.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

export async function listApiTokens(db: Db) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .orderBy(desc(apiTokens.id));
}

/** The live token a request's `Authorization: Bearer …` names, or null (missing, unknown, revoked). */
export async function authenticateApiToken(db: Db, authorization: string | null): Promise<{ id: number; name: string } | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) return null;
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiTokens.tokenHash, hashToken(match[1]!)), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  return row ?? null;
}
