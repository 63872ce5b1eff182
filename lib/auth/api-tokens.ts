// API tokens: created with a random secret shown once, stored as a SHA-256 hash, revocable. A token
// belongs to a user and carries scopes; it authenticates only while its owner is active.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiTokens, users, type TokenScope } from "../db/schema";

const PREFIX = "tl_";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(db: Db, input: { name: string; userId: number; scopes: readonly TokenScope[] }): Promise<{ id: number; token: string }> {
  const token = `${PREFIX}${randomBytes(24).toString("base64url")}`;
  const [row] = await db
    .insert(apiTokens)
    .values({ name: input.name, userId: input.userId, scopes: [...input.scopes], tokenHash: hashToken(token), prefix: token.slice(0, 8) })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

/** Revokes a live token; `userId` limits it to that owner's tokens. True if one was revoked. */
export async function revokeApiToken(db: Db, id: number, userId?: number): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), userId === undefined ? undefined : eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** Tokens with their owners; `userId` keeps one owner's. */
export async function listApiTokens(db: Db, userId?: number) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      owner: users.email,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .where(userId === undefined ? undefined : eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id));
}

/**
 * The live token a `Bearer …` header names, with its owner, or null (missing, unknown, revoked,
 * ownerless, or its owner disabled). Marks it used.
 */
export async function authenticateApiToken(db: Db, bearer: string): Promise<{ id: number; userId: number; scopes: TokenScope[] } | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiTokens.tokenHash, hashToken(bearer)), isNull(apiTokens.revokedAt), isNotNull(apiTokens.userId)))
    .returning({ id: apiTokens.id, userId: apiTokens.userId, scopes: apiTokens.scopes });
  return row && row.userId !== null ? { id: row.id, userId: row.userId, scopes: row.scopes } : null;
}
