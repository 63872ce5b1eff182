// GET /digest/feed?team=… – the last weeks' digests as Atom, for a session or a token with metrics:read
import { env } from "@/lib/env";
import { getDigestFeed } from "@/lib/services/digest";
import { queryOf, withRoute } from "@/lib/services/entries";

export const GET = withRoute(async (ctx, request) => {
  // Absolute links: the public address when one is set, else the one the reader used.
  const base = env().THROUGHLINE_PUBLIC_URL ?? new URL(request.url).origin;
  const xml = await getDigestFeed(ctx, queryOf(request), base);
  return new Response(xml, { headers: { "content-type": "application/atom+xml; charset=utf-8" } });
});
