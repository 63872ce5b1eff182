// The entry of a shared view (/s/{token}) and of the proxy's check of it. No session is read and
// none is needed: the token alone decides. Apart from entries.ts so the proxy loads no sign-in code.
import "server-only";
import { cache } from "react";
import { getDatabase } from "../db/client";
import { clientAddressOf } from "./rate-limit";
import { guardShareRequest, openSharedView, type ShareGuard } from "./share-links";

/** Once per request: the page, its metadata and its image share one lookup and one visit count. */
export const sharedViewFor = cache(async (token: string, count: boolean) => {
  const database = await getDatabase();
  return openSharedView({ db: database.db, now: new Date() }, token, { count });
});

/** For the proxy: whether an /s/{token} request may go on, is dead (410) or comes too often (429). */
export async function guardSharedView(token: string, headers: Pick<Headers, "get">): Promise<ShareGuard> {
  const database = await getDatabase();
  return guardShareRequest({ db: database.db, now: new Date() }, token, clientAddressOf(headers));
}
