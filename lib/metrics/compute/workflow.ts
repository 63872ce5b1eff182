import type { StatusCategory } from "../../db/schema/work";

export type { StatusCategory };
export const STATUS_CATEGORIES: readonly StatusCategory[] = ["todo", "in_progress", "done"];

/** How a team's workflow treats one status. */
export interface WorkflowStatus {
  name: string;
  category: StatusCategory;
  /** Time in this status counts as blocked. */
  blocked: boolean;
  /** A done status that means "not delivered" (Won't do, Duplicate). */
  discarded: boolean;
}

export type Workflow = ReadonlyMap<string, WorkflowStatus>;

export function workflowOf(statuses: readonly WorkflowStatus[]): Workflow {
  return new Map(statuses.map((s) => [s.name, s]));
}
