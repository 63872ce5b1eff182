// /digest?team=…&week=YYYY-MM-DD – a team's weekly digest; without a team, the leader's digest of
// every team the reader sees. Each line links to the view its numbers come from.
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ViewRefused } from "@/components/view-refused";
import { digestHref } from "@/lib/digest/links";
import { AppError } from "@/lib/errors";
import { getDigest } from "@/lib/services/digest";
import { forPage, pageContext } from "@/lib/services/entries";
import { pathWithSearch } from "@/lib/views/route-params";

export const metadata: Metadata = { title: "Weekly digest" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function DigestPage({ searchParams }: Props) {
  await connection();
  const search = await searchParams;
  const ctx = await pageContext(pathWithSearch("/digest", search));
  const team = one(search.team);
  let page;
  try {
    page = await forPage(getDigest(ctx, { team, week: one(search.week) }));
  } catch (error) {
    if (error instanceof AppError && error.code === "INVALID_INPUT") return <ViewRefused message={error.message} back={team ? `/digest?team=${encodeURIComponent(team)}` : "/digest"} />;
    throw error;
  }
  const { digest } = page;
  const feed = `/digest/feed${team ? `?team=${encodeURIComponent(team)}` : ""}`;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / {page.team ? <Link href={`/teams/${encodeURIComponent(page.team.key)}`}>{page.team.name}</Link> : <span>All your teams</span>} / <span>Digest</span>
      </nav>
      <h1 data-testid="digest-title">{digest.title}</h1>
      <p className="lede" data-testid="digest-period">
        {digest.period}. <Link href={page.team ? digestHref(page.previousWeek, page.team.key) : digestHref(page.previousWeek)}>Previous week</Link>
        {page.nextWeek ? (
          <>
            {" · "}
            <Link href={page.team ? digestHref(page.nextWeek, page.team.key) : digestHref(page.nextWeek)}>Next week</Link>
          </>
        ) : null}
        {" · "}
        <a href={feed}>Atom feed</a>
      </p>
      {digest.sections.length === 0 ? <p>No teams to report on.</p> : null}
      {digest.sections.map((s) => (
        <section key={s.title} className="card" data-testid="digest-section">
          <h2>
            <Link href={s.href}>{s.title}</Link>
          </h2>
          <ul>
            {s.lines.map((l, i) => (
              <li key={i} data-testid="digest-line">
                <Link href={l.href}>{l.text}</Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
