import { dehydrate, QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/api";
import type { SharedFlowView, SharedView } from "@/lib/services/share-links";
import { flowPreview } from "@/lib/views/share-preview";
import { PreviewBars } from "./preview-bars";
import { SharedFlowCharts } from "./shared-flow-charts";
import { SharedOutcomes } from "./shared-outcomes";

const when = (iso: string) => iso.replace(/\.\d{3}Z$/, "Z").replace("T", " ");

/** The page of a share link: what it is, its headline, its picture, then the view itself. */
export function SharedViewBody({ view }: { view: SharedView }) {
  const preview = view.kind === "outcomes" ? { caption: `${view.outcomes.kpi.name} per ${view.outcomes.grain}`, values: view.outcomes.series.map((p) => p.value) } : flowPreview(view.chart, view.data);
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
      <PreviewBars values={preview.values} caption={preview.caption} />
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
