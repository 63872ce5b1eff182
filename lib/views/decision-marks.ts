// Decisions marked "show on charts" as the charts' annotation marks: read-only, one day each,
// linking to the decision's page. Pure; relative imports for the unit tests.
import type { MarkSource } from "../../components/charts/annotation-marks";

/** What a mark needs of a decision (lib/services/decisions.ts's Decision fits). */
export interface DecisionRef {
  id: number;
  title: string;
  rationale: string;
  decided_on: string;
  decided_at: string;
  decided_by: string | null;
  path: string;
}

/**
 * A decision as a mark. Its id is negated: charts key marks by id, and a decision's id may equal an
 * annotation's (the two tables count separately).
 */
export function decisionMark(d: DecisionRef): MarkSource {
  return { id: -d.id, starts_on: d.decided_on, ends_on: null, label: d.title, note: `Decision: ${d.rationale}`, author: d.decided_by, created_at: d.decided_at, href: d.path };
}

/** The annotations and the decisions of a window, in one list of marks in date order (stable). */
export function withDecisionMarks<A extends MarkSource>(annotations: readonly A[], decisions: readonly DecisionRef[]): MarkSource[] {
  const marks: MarkSource[] = [...annotations, ...decisions.map(decisionMark)];
  return marks.map((m, i) => [m, i] as const).sort(([a, i], [b, j]) => a.starts_on.localeCompare(b.starts_on) || i - j).map(([m]) => m);
}
