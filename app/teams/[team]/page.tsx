import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { TeamDashboard } from "@/components/dashboard/team-dashboard";
import { getDb } from "@/lib/db/client";
import { getTeamByKey, listItemTypes, listWorkflowStatuses } from "@/lib/db/queries/teams";
import { agingReferenceRequest, metricRequest, parseView } from "@/lib/views/dashboard-view";
import { prefetchMetrics } from "@/lib/views/prefetch";

type Props = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { team } = await params;
  return { title: `${team} flow` };
}

export default async function TeamPage({ params, searchParams }: Props) {
  await connection();
  const [{ team: teamKey }, search] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const team = await getTeamByKey(db, teamKey);
  if (!team) notFound();
  const now = new Date();
  const view = parseView(search);
  const request = metricRequest(view, team.timezone, now);
  const reference = agingReferenceRequest(view, team.timezone, now);
  const [statuses, types, state] = await Promise.all([
    listWorkflowStatuses(db, team.id),
    listItemTypes(db, team.id),
    prefetchMetrics(
      db,
      team,
      [
        { metric: "cycle-time", request },
        { metric: "throughput", request },
        { metric: "wip", request },
        { metric: "cfd", request },
        { metric: "aging", request },
        { metric: "blockers", request },
        { metric: "quality", request },
        { metric: "cycle-time", request: reference },
      ],
      now,
    ),
  ]);
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <span>{team.name}</span>
      </nav>
      <h1>{team.name}: flow</h1>
      <p className="lede">
        How work flows through {team.name}. <Link href={`/outcomes?team=${encodeURIComponent(team.key)}`}>Did its milestones move the business?</Link>
      </p>
      <HydrationBoundary state={state}>
        <TeamDashboard team={{ key: team.key, name: team.name, timezone: team.timezone, wipLimit: team.wipLimit, statuses, types }} now={now.toISOString()} />
      </HydrationBoundary>
    </>
  );
}
