// The parameters of a metric request, shared by the HTTP API and the CLI.
import { z } from "zod";
import { isLocalDate } from "../time/calendar";

export const FLOW_METRICS = ["cycle-time", "throughput", "wip", "cfd", "aging", "blockers", "quality"] as const;
export type FlowMetric = (typeof FLOW_METRICS)[number];

/** A calendar date, YYYY-MM-DD, that exists. */
export const LocalDateInput = z.string().refine(isLocalDate, { error: "must be a date written YYYY-MM-DD" });

/** An instant with an explicit offset, e.g. 2026-03-01T12:00:00Z or 2026-03-01T13:00:00+01:00. */
export const InstantInput = z.iso
  .datetime({ offset: true, error: "must be an instant with an offset, e.g. 2026-03-01T12:00:00Z" })
  .transform((v) => new Date(v));

export const MAX_WINDOW_DAYS = 3_700;

export const MetricParamsInput = z
  .object({
    metric: z.enum(FLOW_METRICS, { error: `metric must be one of ${FLOW_METRICS.join(", ")}` }),
    team: z.string().min(1, { error: "team is required" }),
    from: LocalDateInput.optional(),
    to: LocalDateInput.optional(),
    as_of: InstantInput.optional(),
    type: z.string().min(1).optional(),
    /** details=1 adds titles, types and links for the dashboard; without it the output is the spec's shape. */
    details: z
      .enum(["0", "1", "true", "false"], { error: "details must be 1 or 0" })
      .optional()
      .transform((v) => v === "1" || v === "true"),
  })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { error: "from must not be after to", path: ["from"] });

export type MetricParamsInput = z.input<typeof MetricParamsInput>;
export type MetricParams = z.output<typeof MetricParamsInput>;
