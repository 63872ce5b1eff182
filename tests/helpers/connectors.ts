// What the connector tests share: the guarded fetch they reach their fake trackers through, and
// small readers of a connector's answers.
import { expect } from "vitest";
import { createGuardedFetch } from "../../lib/connectors/http/outbound";
import type { FetchedPage } from "../../lib/connectors/tracker";
import { AppError } from "../../lib/errors";

/** The production fetch, allowed to reach this machine's loopback, where the fakes listen. */
export const loopbackFetch = () => createGuardedFetch({ allow: ["127.0.0.1"], maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000 });

/** Every page of a fetch, or the first `limit`. */
export async function collect(pages: AsyncIterable<FetchedPage>, limit = Infinity): Promise<FetchedPage[]> {
  const out: FetchedPage[] = [];
  for await (const page of pages) {
    out.push(page);
    if (out.length >= limit) break;
  }
  return out;
}

/** The AppError a call rejects with (fails the test if it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a rejection");
}
