import type { SharedOutcomesView } from "@/lib/services/share-links";
import { ChartsOnInteraction } from "../charts/lazy-chart";
import { OutcomesReport } from "../outcomes/outcomes-report";

/** The outcomes of a share link: the outcomes page's chart and table, without its controls. */
export function SharedOutcomes({ view }: { view: SharedOutcomesView }) {
  return (
    <ChartsOnInteraction>
      <OutcomesReport view={view.outcomes} grain={view.outcomes.grain} annotations={view.annotations} overlay={view.overlay} />
    </ChartsOnInteraction>
  );
}
