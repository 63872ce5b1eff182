// Creating and changing import schedules, validated; the scheduler picks changes up on sync.
import "server-only";
import { CronExpressionParser } from "cron-parser";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { importSchedules } from "../db/schema";
import { invalidInput } from "../errors";
import { resolveImportFile, sourcePolicy, type SourcePolicy } from "../connectors/kpi-feed";
import { checkUrlHost } from "../connectors/http/outbound";
import { SECRET_NAME } from "../env";
import { isValidTimeZone } from "../time/calendar";

export const ScheduleInput = z
  .object({
    name: z.string().trim().min(1, { error: "name is required" }),
    cron: z.string().trim().refine(isValidCron, { error: 'not a cron expression, e.g. "0 6 * * *"' }),
    timezone: z.string().default("UTC").refine(isValidTimeZone, { error: "not an IANA timezone" }),
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    file: z.string().min(1).optional(),
    authEnv: z
      .string()
      .regex(SECRET_NAME, { error: "only variables named THROUGHLINE_SECRET_… can be sent as a source's Authorization header" })
      .optional(),
    aggregation: z.enum(["sum", "last", "avg"]).default("sum"),
  })
  .refine((s) => Boolean(s.url) !== Boolean(s.file), { error: "give either a URL or a file", path: ["url"] });

export function isValidCron(expression: string): boolean {
  if (expression.trim().split(/\s+/).length !== 5) return false;
  try {
    CronExpressionParser.parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** When a schedule next fires after `from`, in its timezone. */
export function nextRun(cron: string, timezone: string, from: Date): Date | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: from, tz: timezone }).next().toDate();
  } catch {
    return null;
  }
}

/** Refuses, when it is added, a source the scheduler would refuse when it runs. */
export async function createSchedule(db: Db, input: unknown, policy: SourcePolicy = sourcePolicy()) {
  const parsed = ScheduleInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const s = parsed.data;
  if (s.file) await resolveImportFile(s.file, policy);
  if (s.url) checkUrlHost(new URL(s.url), policy.allow);
  const [row] = await db
    .insert(importSchedules)
    .values({ name: s.name, cron: s.cron, timezone: s.timezone, sourceKind: s.url ? "url" : "file", source: (s.url ?? s.file)!, authEnv: s.authEnv, aggregation: s.aggregation })
    .returning();
  return row!;
}

export async function setScheduleEnabled(db: Db, id: number, enabled: boolean) {
  await db.update(importSchedules).set({ enabled }).where(eq(importSchedules.id, id));
}
