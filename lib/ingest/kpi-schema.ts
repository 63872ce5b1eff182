import { z } from "zod";
import { LocalDateInput } from "../metrics/params";

export const KpiDefinitionInput = z.object({
  key: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "may hold letters, digits, '_', '.' and '-' only" }),
  name: z.string().min(1).optional(),
  unit: z.string().nullable().optional(),
  aggregation: z.enum(["sum", "last", "avg"], { error: 'must be "sum", "last" or "avg"' }),
});
export type KpiDefinitionInput = z.output<typeof KpiDefinitionInput>;

export const KpiPointInput = z.object({
  date: LocalDateInput,
  value: z.number({ error: "must be a number" }).finite({ error: "must be a finite number" }),
  segment: z.string().nullable().optional(),
});

export const KpiDocumentInput = z.object({
  kpi: KpiDefinitionInput,
  points: z.array(KpiPointInput),
});
