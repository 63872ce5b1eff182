import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { TeamDashboard } from "@/components/dashboard/team-dashboard";
import { createShareLinkAction } from "../../s/actions";
import { ViewRefused } from "@/components/view-refused";
import { AppError } from "@/lib/errors";
import { getDashboard } from "@/lib/services/dashboard";
import { forPage, pageContext } from "@/lib/services/entries";
import { decodedParam, pathWithSearch } from "@/lib/views/route-params";
import { timeAgo } from "@/lib/time/format";
import { createAnnotationAction, deleteAnnotationAction, updateAnnotationAction } from "./actions";

type Props = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { team } = await params;
  return { title: `${decodedParam(team)} flow` };
}

export default async function TeamPage({ params, searchParams }: Props) {
  await connection();
  const [{ team: rawKey }, search] = await Promise.all([params, searchParams]);
  const teamKey = decodedParam(rawKey);
  const ctx = await pageContext(pathWithSearch(`/teams/${encodeURIComponent(teamKey)}`, search));
  let dashboard;
  try {
    dashboard = await forPage(getDashboard(ctx, teamKey, search));
  } catch (error) {
    // A hand-edited address (a window of centuries, from after to) gets the rule it broke.
    if (error instanceof AppError && error.code === "INVALID_INPUT") return <ViewRefused message={error.message} back={`/teams/${encodeURIComponent(teamKey)}`} />;
    throw error;
  }
  const { team, statuses, types, state, annotate, share, freshness } = dashboard;
  return (
    <>
      {/* Links without prefetching, for the reason app/layout.tsx gives. */}
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link prefetch={false} href="/">Teams</Link> / <span>{team.name}</span>
      </nav>
      <h1>{team.name}: flow</h1>
      <p className="lede">
        How work flows through {team.name}. <Link prefetch={false} href={`/outcomes?team=${encodeURIComponent(team.key)}`}>Did its milestones move the business?</Link> · <Link prefetch={false} href={`/teams/${encodeURIComponent(team.key)}/roadblocks`}>Roadblocks</Link> · <Link prefetch={false} href={`/teams/${encodeURIComponent(team.key)}/decisions`}>Decisions</Link> · <Link prefetch={false} href={`/digest?team=${encodeURIComponent(team.key)}`}>Weekly digest</Link>
      </p>
      <p className="freshness muted" data-testid="freshness">
        {freshness.updatedAt ? `Data updated ${timeAgo(freshness.updatedAt, ctx.now)}.` : "No import or sync recorded for this team yet."}
      </p>
      {freshness.failedSyncs.map((f) => (
        <p key={f.source} className="form-error" role="alert" data-testid="sync-failed">
          The last sync of {f.source}
          {f.at ? ` (${timeAgo(f.at, ctx.now)})` : ""} failed: {f.error ?? "unknown error"}. These numbers may be out of date.
        </p>
      ))}
      <HydrationBoundary state={state}>
        <TeamDashboard
          team={{ key: team.key, name: team.name, timezone: team.timezone, wipLimit: team.wipLimit, statuses, types }}
          now={ctx.now.toISOString()}
          annotate={annotate}
          annotationActions={{ create: createAnnotationAction, update: updateAnnotationAction, remove: deleteAnnotationAction }}
          share={share ? createShareLinkAction : undefined}
        />
      </HydrationBoundary>
    </>
  );
}
