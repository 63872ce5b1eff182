import { dehydrate, QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/api";
import type { SharedFlowView, SharedView } from "@/lib/services/share-links";
import { SharedFlowCharts } from "./shared-flow-charts";
import { SharedOutcomes } from "./shared-outcomes";

const when = (iso: string) => iso.replace(/\.\d{3}Z$/, "Z").replace("T", " ");

/**
 * The page of a share link: what it is, its headline, then the view itself. Its charts are in
 * the server's HTML as plain SVG (components/charts/static-chart.tsx), so the picture is there
 * before any script runs; the interactive charts take their place once scripts run.
 */
export function SharedViewBody({ view }: { view: SharedView }) {
  return (
    <article className="shared-view" data-testid="shared-view" data-kind={view.kind}>
      <header>
        <p className="shared-badge">Shared view · read-only{view.rolling ? " · kept up to date" : ` · as of ${when(view.asOf)}`}</p>
        <h1>{view.title}</h1>
        <p className="lede" data-testid="share-headline">
          {view.headline}
        </p>
        {view.kind !== "outcomes" ? (
          <p className="window" data-testid="window">
            {view.window} ({view.team.timezone}){view.view.type ? `, ${view.view.type} only` : ""}
          </p>
        ) : null}
      </header>
      {view.kind === "outcomes" ? (
        <SharedOutcomes view={view} />
      ) : (
        <SharedFlowCharts
          team={{ key: view.team.key, timezone: view.team.timezone, wipLimit: view.team.wipLimit }}
          statuses={view.statuses}
          chart={view.chart}
          request={view.request}
          reference={view.reference}
          interval={view.view.interval}
          cfd={view.view.cfd}
          state={sharedState(view)}
        />
      )}
    </article>
  );
}

/** Every query the shared cards make, answered now, under the keys the cards ask with. */
function sharedState(view: SharedFlowView) {
  const client = new QueryClient();
  for (const d of view.data) client.setQueryData(queryKeys.metric(view.team.key, d.metric, d.request), d.result);
  client.setQueryData(queryKeys.annotations(view.team.key, { from: view.request.from, to: view.request.to }), view.annotations);
  return dehydrate(client);
}
