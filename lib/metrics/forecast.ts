// The Monte Carlo forecast for a team: the CLI, the API and the outcomes page all come through here.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { listMilestoneEffort, listMilestones } from "../db/queries/outcomes";
import { getTeamByKey, type Team } from "../db/queries/teams";
import { AppError, invalidInput } from "../errors";
import { addDays, localDate } from "../time/calendar";
import { computeForecast, MAX_FORECAST_DAYS, type ForecastResult, type ForecastTarget } from "./compute/forecast";
import { getThroughput } from "./load";
import { InstantInput, LocalDateInput } from "./params";

export const FORECAST_HISTORY_DAYS = 30;
/** Trials use this seed unless one is given, so a view is the same on every load. */
export const FORECAST_SEED = 20_260_101;

const whole = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} may be at most ${max}` });

export const ForecastInput = z
  .object({
    team: z.string().min(1, { error: "team is required" }),
    items: whole("items", 0, 1_000_000).optional(),
    milestone: z.string().min(1, { error: "milestone must not be empty" }).optional(),
    by: LocalDateInput.optional(),
    history_days: whole("history_days", 1, 365).default(FORECAST_HISTORY_DAYS),
    seed: whole("seed", 0, 2 ** 32 - 1).default(FORECAST_SEED),
    as_of: InstantInput.optional(),
  })
  .refine((f) => [f.items, f.milestone, f.by].filter((v) => v !== undefined).length === 1, {
    error: "give exactly one of items (how long for K items), milestone (how long for its open items) or by (how many by a date)",
    path: ["items"],
  });

/** The throughput (finished, not discarded) of the N dates ending on as_of's date, oldest first. */
export async function getForecastHistory(db: Db, team: Team, asOf: Date, historyDays: number): Promise<number[]> {
  const asOfDate = localDate(asOf, team.timezone);
  const throughput = await getThroughput(db, { team, asOf, from: addDays(asOfDate, -(historyDays - 1)), to: asOfDate });
  return throughput.daily.map((d) => d.count);
}

/** Items of a milestone not finished at as_of (discarded ones are finished, so excluded). */
export async function countOpenMilestoneItems(db: Db, team: Team, milestone: string, asOf: Date): Promise<number> {
  const [list, effort] = await Promise.all([listMilestones(db, team.id), listMilestoneEffort(db, team.id, team.timezone, asOf)]);
  if (!list.some((m) => m.key === milestone)) {
    throw new AppError("NOT_FOUND", `No milestone "${milestone}" in team "${team.key}".`, [{ where: "milestone", message: "unknown milestone" }]);
  }
  return effort.find((e) => e.milestone === milestone)?.open_items ?? 0;
}

/** `input` is untrusted (query string, argv). */
export async function getForecast(db: Db, input: unknown, now: Date): Promise<ForecastResult> {
  const parsed = ForecastInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const p = parsed.data;
  const team = await getTeamByKey(db, p.team);
  if (!team) throw new AppError("TEAM_NOT_FOUND", `No team with key "${p.team}".`, [{ where: "team", message: "unknown team" }]);
  const asOf = p.as_of ?? now;
  const asOfDate = localDate(asOf, team.timezone);
  let target: ForecastTarget;
  if (p.by !== undefined) {
    if (p.by > addDays(asOfDate, MAX_FORECAST_DAYS)) {
      throw new AppError("INVALID_INPUT", `by may be at most ${MAX_FORECAST_DAYS} days after as_of's date`, [{ where: "by", message: "too far ahead" }]);
    }
    target = { by: p.by };
  } else {
    target = { items: p.milestone !== undefined ? await countOpenMilestoneItems(db, team, p.milestone, asOf) : p.items! };
  }
  const history = await getForecastHistory(db, team, asOf, p.history_days);
  return computeForecast({ history, asOfDate, target, seed: p.seed });
}

export type { ForecastResult };
