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

/** A status with its place in the workflow's order (0 first): moves to a lower one go backwards. */
export interface PlacedStatus extends WorkflowStatus {
  position: number;
}

export type Workflow = ReadonlyMap<string, PlacedStatus>;

/** The workflow of statuses listed in its order. */
export function workflowOf(statuses: readonly WorkflowStatus[]): Workflow {
  return new Map(statuses.map((s, position) => [s.name, { ...s, position }]));
}
