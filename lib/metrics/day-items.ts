// The items behind one day's WIP or cumulative-flow number, for the dashboard's drill-down.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { listStatusItemsAtEndOfDay, listWipItemsOnDay, type DayItemRow } from "../db/queries/day-items";
import { listWorkflowStatuses } from "../db/queries/teams";
import { AppError, invalidInput } from "../errors";
import type { LocalDate } from "../time/calendar";
import { resolveWindow } from "./load";
import { InstantInput, LocalDateInput } from "./params";

export const DayItemsInput = z
  .object({
    team: z.string().min(1, { error: "team is required" }),
    date: LocalDateInput,
    /** wip: in progress at any instant of the day; status: in `status` at the end of the day. */
    kind: z.enum(["wip", "status"], { error: "kind must be wip or status" }),
    status: z.string().min(1).optional(),
    as_of: InstantInput.optional(),
    type: z.string().min(1).optional(),
  })
  .refine((p) => p.kind !== "status" || p.status !== undefined, { error: "status is required with kind=status", path: ["status"] });

/** A drill-down request as the browser sends it (the team comes from the path). */
export type DayItemsRequest = Omit<z.input<typeof DayItemsInput>, "team">;

export interface DayItemsResult {
  date: LocalDate;
  items: DayItemRow[];
}

/** `input` is untrusted (query string). The list's length is the chart's number for that day. */
export async function getDayItems(db: Db, input: unknown, now: Date): Promise<DayItemsResult> {
  const parsed = DayItemsInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const p = parsed.data;
  const w = await resolveWindow(db, { team: p.team, from: p.date, to: p.date, as_of: p.as_of, type: p.type, details: false }, now);
  const q = { teamId: w.team.id, timezone: w.team.timezone, asOf: w.asOf, date: p.date, type: p.type };
  if (p.kind === "wip") return { date: p.date, items: await listWipItemsOnDay(db, q) };
  const status = p.status!;
  const statuses = await listWorkflowStatuses(db, w.team.id);
  if (!statuses.some((s) => s.name === status)) {
    throw new AppError("INVALID_INPUT", `No status "${status}" in the workflow of team "${p.team}".`, [{ where: "status", message: "unknown status" }]);
  }
  return { date: p.date, items: await listStatusItemsAtEndOfDay(db, q, status) };
}
