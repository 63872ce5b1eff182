// Where a digest line's view lives: the app's own address (for a reader with an account), or
// whatever a resolver makes of it (a share link for anyone else). Pure but for the resolver.
import type { Digest, DigestView } from "./content";

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** The app's address of a view, relative: the page uses it as is, mail prefixes the public URL. */
export function appHref(view: DigestView): string {
  const team = encodeURIComponent(view.team);
  switch (view.kind) {
    case "chart":
    case "dashboard":
      return `/teams/${team}?${query({ from: view.from, to: view.to, as_of: view.asOf })}`;
    case "item":
      return `/teams/${team}/items/${encodeURIComponent(view.key)}`;
    case "outcomes":
      return `/outcomes?${query({ team: view.team, kpi: view.kpi, as_of: view.asOf })}`;
  }
}

/** The page of a digest: `/digest?team=…&week=…`, or a leader's without a team. */
export function digestHref(week: string, team?: string): string {
  return `/digest?${query(team ? { team, week } : { week })}`;
}

/** Every line's view resolved once: a view named by several lines gets one address (one share link). */
export async function resolveLinks(digest: Digest, resolve: (view: DigestView) => Promise<string>): Promise<Digest<string>> {
  const memo = new Map<string, Promise<string>>();
  const href = (view: DigestView) => {
    const key = JSON.stringify(view);
    let hit = memo.get(key);
    if (!hit) memo.set(key, (hit = resolve(view)));
    return hit;
  };
  return {
    ...digest,
    sections: await Promise.all(
      digest.sections.map(async (s) => ({
        title: s.title,
        href: await href(s.href),
        lines: await Promise.all(s.lines.map(async (l) => ({ text: l.text, href: await href(l.href) }))),
      })),
    ),
  };
}

/** The links of a page: the app's, relative. */
export function withAppLinks(digest: Digest, base = ""): Digest<string> {
  const map = (view: DigestView) => `${base}${appHref(view)}`;
  return { ...digest, sections: digest.sections.map((s) => ({ title: s.title, href: map(s.href), lines: s.lines.map((l) => ({ text: l.text, href: map(l.href) })) })) };
}
