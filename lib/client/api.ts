// The browser's way to the API: one fetch that unwraps the error envelope, one query-key factory.
import { queryOptions, skipToken } from "@tanstack/react-query";
import type { ErrorBody } from "../errors";
import type { DayItemsRequest, DayItemsResult } from "../metrics/day-items";
import type { MetricResults } from "../metrics/load";
import type { FlowMetric } from "../metrics/params";
import type { Annotation } from "../services/annotations";
import type { Decision } from "../services/decisions";
import type { Roadblock } from "../services/roadblocks";
import type { MetricRequest } from "../views/dashboard-view";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new ApiError(body?.error ?? `Request failed (${response.status})`, response.status);
  }
  return (await response.json()) as T;
}

export const queryKeys = {
  metric: (team: string, metric: FlowMetric, request: MetricRequest) => ["metric", team, metric, request] as const,
  dayItems: (team: string, request: DayItemsRequest | null) => ["day-items", team, request] as const,
  /** Without a window: every annotation query of the team (to invalidate after a change). */
  annotations: (team: string, window?: AnnotationWindow) => (window ? (["annotations", team, window] as const) : (["annotations", team] as const)),
  openRoadblocks: (team: string) => ["roadblocks", team, "open"] as const,
  chartDecisions: (team: string, window: AnnotationWindow) => ["decisions", team, "charts", window] as const,
};

/** The dates an annotation query covers, both included. */
export interface AnnotationWindow {
  from: string;
  to: string;
}

export function metricPath(team: string, metric: FlowMetric, request: MetricRequest): string {
  const params = new URLSearchParams({ ...request, details: "1" } as Record<string, string>);
  return `/api/teams/${encodeURIComponent(team)}/metrics/${metric}?${params}`;
}

export function metricQuery<M extends FlowMetric>(team: string, metric: M, request: MetricRequest) {
  return queryOptions({
    queryKey: queryKeys.metric(team, metric, request),
    queryFn: () => apiFetch<MetricResults[M]>(metricPath(team, metric, request)),
  });
}

export function dayItemsPath(team: string, request: DayItemsRequest): string {
  return `/api/teams/${encodeURIComponent(team)}/day-items?${new URLSearchParams(request as Record<string, string>)}`;
}

/** The items behind one day's WIP or cumulative-flow number; null asks for nothing yet. */
export function dayItemsQuery(team: string, request: DayItemsRequest | null) {
  return queryOptions({
    queryKey: queryKeys.dayItems(team, request),
    queryFn: request ? () => apiFetch<DayItemsResult>(dayItemsPath(team, request)) : skipToken,
  });
}

export function annotationsPath(team: string, window: AnnotationWindow): string {
  return `/api/teams/${encodeURIComponent(team)}/annotations?${new URLSearchParams({ from: window.from, to: window.to })}`;
}

/** A team's annotations that touch the window, for the markers on its charts and the list. */
export function annotationsQuery(team: string, window: AnnotationWindow) {
  return queryOptions({
    queryKey: queryKeys.annotations(team, window),
    queryFn: () => apiFetch<Annotation[]>(annotationsPath(team, window)),
  });
}

/** A team's open roadblocks, for the proposals beside the blockers card's open list. */
export function openRoadblocksQuery(team: string) {
  return queryOptions({
    queryKey: queryKeys.openRoadblocks(team),
    queryFn: () => apiFetch<Roadblock[]>(`/api/teams/${encodeURIComponent(team)}/roadblocks?status=open`),
  });
}

/** A team's decisions marked for the charts in the window, drawn beside its annotations. */
export function chartDecisionsQuery(team: string, window: AnnotationWindow) {
  return queryOptions({
    queryKey: queryKeys.chartDecisions(team, window),
    queryFn: () => apiFetch<Decision[]>(`/api/teams/${encodeURIComponent(team)}/decisions?${new URLSearchParams({ from: window.from, to: window.to, charts: "1" })}`),
  });
}
