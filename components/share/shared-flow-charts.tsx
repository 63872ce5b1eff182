"use client";

import { HydrationBoundary, QueryClient, QueryClientProvider, type DehydratedState } from "@tanstack/react-query";
import { useState } from "react";
import type { TeamStatus } from "@/lib/services/teams";
import type { CfdCount, MetricRequest } from "@/lib/views/dashboard-view";
import { AgingCard, BlockersCard, CfdCard, CycleTimeCard, HistogramCard, QualityCard, ThroughputCard, WipCard } from "../dashboard/cards";
import { ChartsOnInteraction } from "../charts/lazy-chart";
import { ShareModeContext } from "./share-mode";

export interface SharedFlowChartsProps {
  team: { key: string; timezone: string; wipLimit: number | null };
  statuses: TeamStatus[];
  /** One chart, or null for the whole dashboard. */
  chart: string | null;
  request: MetricRequest;
  reference: MetricRequest;
  interval: "day" | "week";
  cfd: CfdCount;
  /** Every query the view's cards make, answered by the server. */
  state: DehydratedState;
}

/**
 * The dashboard's own cards, read-only: their data came with the page and never goes stale, so
 * nothing here asks the API (which a share link cannot reach) for more.
 */
export function SharedFlowCharts({ team, statuses, chart, request, reference, interval: frozenInterval, cfd: frozenCfd, state }: SharedFlowChartsProps) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, gcTime: Infinity, retry: false, refetchOnMount: false, refetchOnWindowFocus: false, refetchOnReconnect: false } } }));
  // Within the frozen data a reader may still switch weekly/daily and how done is counted.
  const [interval, setInterval] = useState(frozenInterval);
  const [cfd, setCfd] = useState(frozenCfd);
  const props = { team: team.key, request };
  const show = (id: string) => chart === null || chart === id;
  return (
    <QueryClientProvider client={client}>
      <HydrationBoundary state={state}>
        <ShareModeContext.Provider value={{ shared: true }}>
          <ChartsOnInteraction>
            <div className={chart === null ? "cards" : "cards single"}>
              {show("cycle-time") ? <CycleTimeCard {...props} timezone={team.timezone} /> : null}
              {show("histogram") ? <HistogramCard {...props} /> : null}
              {show("throughput") ? <ThroughputCard {...props} timezone={team.timezone} interval={interval} onInterval={setInterval} /> : null}
              {show("wip") ? <WipCard {...props} limit={team.wipLimit} /> : null}
              {show("cfd") ? <CfdCard {...props} statuses={statuses} count={cfd} onCount={setCfd} /> : null}
              {show("aging") ? <AgingCard {...props} reference={reference} statuses={statuses} /> : null}
              {show("blockers") ? <BlockersCard {...props} /> : null}
              {show("quality") ? <QualityCard {...props} /> : null}
            </div>
          </ChartsOnInteraction>
        </ShareModeContext.Provider>
      </HydrationBoundary>
    </QueryClientProvider>
  );
}
