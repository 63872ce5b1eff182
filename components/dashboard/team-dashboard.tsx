"use client";

import type { TeamStatus } from "@/lib/services/teams";
import { agingReferenceRequest, metricRequest } from "@/lib/views/dashboard-view";
import { AgingCard, BlockersCard, CfdCard, CycleTimeCard, HistogramCard, QualityCard, ThroughputCard, WipCard } from "./cards";
import { FilterBar } from "./filter-bar";
import { useDashboardView } from "./use-dashboard-view";

export interface DashboardTeam {
  key: string;
  name: string;
  timezone: string;
  wipLimit: number | null;
  statuses: TeamStatus[];
  types: string[];
}

export function TeamDashboard({ team, now }: { team: DashboardTeam; now: string }) {
  const [view, setView] = useDashboardView();
  // "Today" comes from the server's render, so the browser asks for exactly what was prefetched.
  const request = metricRequest(view, team.timezone, new Date(now));
  const reference = agingReferenceRequest(view, team.timezone, new Date(now));
  const props = { team: team.key, request };
  return (
    <>
      <FilterBar key={`${request.from}/${request.to}/${view.asOf ?? ""}`} view={view} request={request} types={team.types} onChange={setView} />
      <p className="window" data-testid="window">
        {request.from} to {request.to} ({team.timezone}){view.asOf ? `, as of ${view.asOf}` : ""}
        {view.type ? `, ${view.type} only` : ""}
      </p>
      <div className="cards">
        <CycleTimeCard {...props} />
        <HistogramCard {...props} />
        <ThroughputCard {...props} timezone={team.timezone} interval={view.interval} onInterval={(interval) => setView({ interval })} />
        <WipCard {...props} limit={team.wipLimit} />
        <CfdCard {...props} statuses={team.statuses} count={view.cfd} onCount={(cfd) => setView({ cfd })} />
        <AgingCard {...props} reference={reference} statuses={team.statuses} />
        <BlockersCard {...props} />
        <QualityCard {...props} />
      </div>
    </>
  );
}
