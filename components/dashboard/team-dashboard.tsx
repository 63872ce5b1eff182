"use client";

import type { TeamStatus } from "@/lib/services/teams";
import { daysBetween } from "@/lib/time/calendar";
import { agingReferenceRequest, metricRequest, viewToSearch } from "@/lib/views/dashboard-view";
import type { FormAction } from "../forms/form-parts";
import { ShareButton } from "../share/share-button";
import { ShareModeContext, type ShareMode } from "../share/share-mode";
import { AnnotationsPanel, type AnnotationActions } from "./annotations-panel";
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

interface Props {
  team: DashboardTeam;
  now: string;
  /** Whether the reader may add annotations to the team. */
  annotate: boolean;
  annotationActions: AnnotationActions;
  /** For a reader who may share: makes share links (the cards' and the dashboard's Share). */
  share?: FormAction;
}

export function TeamDashboard({ team, now, annotate, annotationActions, share }: Props) {
  const [view, setView] = useDashboardView();
  // "Today" comes from the server's render, so the browser asks for exactly what was prefetched.
  const request = metricRequest(view, team.timezone, new Date(now));
  const reference = agingReferenceRequest(view, team.timezone, new Date(now));
  const props = { team: team.key, request };
  const target = { team: team.key, view: Object.fromEntries(new URLSearchParams(viewToSearch(view))), days: daysBetween(request.from, request.to) + 1 };
  const mode: ShareMode = { shared: false, ...(share ? { share: { create: share, target } } : {}) };
  return (
    <ShareModeContext.Provider value={mode}>
      <FilterBar key={`${request.from}/${request.to}/${view.asOf ?? ""}`} view={view} request={request} types={team.types} onChange={setView} />
      <div className="window-line">
        <p className="window" data-testid="window">
          {request.from} to {request.to} ({team.timezone}){view.asOf ? `, as of ${view.asOf}` : ""}
          {view.type ? `, ${view.type} only` : ""}
        </p>
        {share ? <ShareButton target={{ ...target, kind: "dashboard" }} create={share} label="Share this dashboard" /> : null}
      </div>
      <AnnotationsPanel team={team.key} window={{ from: request.from, to: request.to }} annotate={annotate} actions={annotationActions} />
      <div className="cards">
        <CycleTimeCard {...props} timezone={team.timezone} />
        <HistogramCard {...props} />
        <ThroughputCard {...props} timezone={team.timezone} interval={view.interval} onInterval={(interval) => setView({ interval })} />
        <WipCard {...props} limit={team.wipLimit} />
        <CfdCard {...props} statuses={team.statuses} count={view.cfd} onCount={(cfd) => setView({ cfd })} />
        <AgingCard {...props} reference={reference} statuses={team.statuses} />
        <BlockersCard {...props} />
        <QualityCard {...props} />
      </div>
    </ShareModeContext.Provider>
  );
}
