// The work-history document of ../shared/spec/import-format.md, as zod schemas.
import { z } from "zod";
import { isValidTimeZone } from "../time/calendar";
import { InstantInput, LocalDateInput } from "../metrics/params";

const Key = z
  .string({ error: "must be a text key" })
  .min(1, { error: "must not be empty" })
  .max(200, { error: "must be at most 200 characters" });

const WipLimit = z.number().int({ error: "must be a whole number" }).positive({ error: "must be positive" });

export const TeamInput = z.object({
  key: Key.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "may hold letters, digits, '_', '.' and '-' only" }),
  name: z.string().min(1).optional(),
  timezone: z
    .string()
    .default("UTC")
    .refine(isValidTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA timezone (e.g. Europe/Berlin)` }),
  /** WIP limit for the whole team (an extension of the spec's document). */
  wip_limit: WipLimit.nullable().optional(),
});
export type TeamInput = z.output<typeof TeamInput>;

export const WorkflowStatusInput = z
  .object({
    status: z.string().min(1, { error: "must not be empty" }),
    category: z.enum(["todo", "in_progress", "done"], { error: 'must be "todo", "in_progress" or "done"' }),
    blocked: z.boolean().default(false),
    discarded: z.boolean().default(false),
    /** WIP limit of this in-progress status (an extension of the spec's document). */
    wip_limit: WipLimit.nullable().optional(),
  })
  .refine((s) => !s.discarded || s.category === "done", { error: "only a done status can be discarded", path: ["discarded"] });
export type WorkflowStatusInput = z.output<typeof WorkflowStatusInput>;

export const WorkflowInput = z
  .array(WorkflowStatusInput)
  .min(1, { error: "must list at least one status" })
  .superRefine((statuses, ctx) => {
    const seen = new Set<string>();
    statuses.forEach((s, i) => {
      if (seen.has(s.status)) ctx.addIssue({ code: "custom", message: `status "${s.status}" is listed twice`, path: [i, "status"] });
      seen.add(s.status);
    });
  });

export const MilestoneInput = z.object({
  key: Key,
  name: z.string().min(1).optional(),
  due_on: LocalDateInput.nullable().optional(),
  shipped_at: InstantInput.nullable().optional(),
});
export type MilestoneInput = z.output<typeof MilestoneInput>;

/** Everything of the document but its items (the first line of the NDJSON form). */
export const HistoryHeaderInput = z
  .object({
    version: z.literal(1, { error: "must be 1" }),
    team: TeamInput,
    workflow: WorkflowInput,
    milestones: z.array(MilestoneInput).default([]),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.milestones.forEach((m, i) => {
      if (seen.has(m.key)) ctx.addIssue({ code: "custom", message: `milestone "${m.key}" is listed twice`, path: ["milestones", i, "key"] });
      seen.add(m.key);
    });
  });
export type HistoryHeader = z.output<typeof HistoryHeaderInput>;

export const TransitionInput = z.object({
  at: InstantInput,
  to: z.string({ error: "must be a status name" }).min(1, { error: "must be a status name" }),
  from: z.string().nullable().optional(),
});

export const BlockInput = z
  .object({
    start: InstantInput,
    end: InstantInput.nullable().optional(),
    reason: z.string().nullable().optional(),
  })
  .refine((b) => !b.end || b.end.getTime() >= b.start.getTime(), { error: "a block may not end before it starts", path: ["end"] });

export const WorkItemInput = z.object({
  key: Key,
  title: z.string({ error: "must be text" }),
  type: z.string({ error: "must be text (story, bug, task…)" }).min(1),
  created_at: InstantInput,
  milestone: z.string().min(1).nullable().optional(),
  // Item pages link to it: only http(s), never javascript: or data:, which would run in the app's origin.
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).nullable().optional(),
  transitions: z.array(TransitionInput),
  blocks: z.array(BlockInput).default([]),
});
export type WorkItemInput = z.output<typeof WorkItemInput>;
