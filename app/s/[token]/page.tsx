import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { SharedViewBody } from "@/components/share/shared-view";
import { AppError } from "@/lib/errors";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { isAllowedHost } from "@/lib/http/request-guard";
import { ORIGINAL_HOST_HEADER, sharedViewFor } from "@/lib/services/entries-share";
import type { SharedView } from "@/lib/services/share-links";

type Props = { params: Promise<{ token: string }> };

/** The view, or null for a dead link (the proxy has answered 410 before a live page gets here). */
async function load(token: string, count: boolean): Promise<SharedView | null> {
  try {
    return await sharedViewFor(token, count);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (error instanceof AppError && error.code === "GONE") return null;
    throw error;
  }
}

/**
 * The origin the visitor used, for the absolute address of the link's image: the Host (or, when the
 * server renders the page for its cache, the visitor's Host it passed on) if it is a configured one.
 */
async function publicOrigin(): Promise<URL> {
  const h = await headers();
  const allowed = env().THROUGHLINE_HOSTS;
  const host = [h.get(ORIGINAL_HOST_HEADER), h.get("host")].find((value) => value && isAllowedHost(value, allowed)) ?? "localhost";
  const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return new URL(`${proto}://${host}`);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const view = await load(token, true);
  const robots = { index: false, follow: false };
  if (!view) return { title: "Link expired", robots };
  return {
    metadataBase: await publicOrigin(),
    title: view.headline,
    description: `${view.title} · shared from Throughline, read-only${view.rolling ? " (kept up to date)" : ` (as of ${view.asOf.slice(0, 10)})`}`,
    robots,
    openGraph: { title: view.headline, description: view.title, type: "website" },
    twitter: { card: "summary_large_image", title: view.headline, description: view.title },
  };
}

/** A shared view: read-only, without an account, showing this view's data and nothing else. */
export default async function SharedViewPage({ params }: Props) {
  await connection();
  const { token } = await params;
  const view = await load(token, true);
  if (!view) {
    return (
      <div className="empty" data-testid="share-gone">
        <h1>This link has expired</h1>
        <p>The shared view at this address has expired or was revoked by the person who shared it.</p>
      </div>
    );
  }
  return <SharedViewBody view={view} />;
}
