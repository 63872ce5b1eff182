// Monte Carlo forecasts from daily throughput (spec v1.1 §3 "Forecast"). Pure and seedable.
import { addDays, daysBetween, type LocalDate } from "../../time/calendar";
import { seededRandom } from "./random";

export const FORECAST_TRIALS = 10_000;
export const FORECAST_PERCENTILES = [50, 70, 85, 95] as const;
/**
 * A trial still short of K after this many days (10 years) gives up, so a huge K on a trickle of
 * throughput cannot hold the server for minutes; its percentiles past that point read null.
 */
export const MAX_FORECAST_DAYS = 3_650;

export type ForecastPercentiles<T> = Record<"p50" | "p70" | "p85" | "p95", T>;

/** The value at 1-based rank ceil(p/100 × n) of an already sorted list. */
function atRank<T>(sorted: readonly T[], p: number): T {
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

const hasThroughput = (history: readonly number[]) => history.some((v) => v > 0);

/**
 * "When will K be done": per trial, the first day count d at which the running sum of sampled
 * daily throughputs reaches K (K = 0: d = 0). Percentiles are nearest-rank over the ascending day
 * counts (p85: 85% of trials done within it); null past MAX_FORECAST_DAYS. Null when the history
 * holds only zeros: no trials are run.
 */
export function forecastDaysToFinish(
  history: readonly number[],
  remaining: number,
  seed: number,
  trials = FORECAST_TRIALS,
): { trials: number; days: ForecastPercentiles<number | null> } {
  const none = { p50: null, p70: null, p85: null, p95: null };
  if (!hasThroughput(history)) return { trials: 0, days: none };
  const random = seededRandom(seed);
  const days = new Array<number>(trials);
  for (let t = 0; t < trials; t++) {
    let done = 0;
    let d = 0;
    while (done < remaining && d < MAX_FORECAST_DAYS) {
      done += history[Math.floor(random() * history.length)]!;
      d++;
    }
    days[t] = done >= remaining ? d : Infinity;
  }
  days.sort((a, b) => a - b);
  const result: ForecastPercentiles<number | null> = { ...none };
  for (const p of FORECAST_PERCENTILES) {
    const v = atRank(days, p);
    result[`p${p}`] = Number.isFinite(v) ? v : null;
  }
  return { trials, days: result };
}

/**
 * "How many by a date": per trial, the sum of one sampled daily throughput for each of `days`
 * days. Percentile p is the count at rank ceil(p/100 × trials) of the counts in descending order
 * (p85: 85% of trials finish at least this many). 0 when the history holds only zeros.
 */
export function forecastItemsByDate(
  history: readonly number[],
  days: number,
  seed: number,
  trials = FORECAST_TRIALS,
): { trials: number; counts: ForecastPercentiles<number> } {
  if (!hasThroughput(history)) return { trials: 0, counts: { p50: 0, p70: 0, p85: 0, p95: 0 } };
  const random = seededRandom(seed);
  const totals = new Array<number>(trials);
  for (let t = 0; t < trials; t++) {
    let sum = 0;
    for (let d = 0; d < days; d++) sum += history[Math.floor(random() * history.length)]!;
    totals[t] = sum;
  }
  totals.sort((a, b) => b - a);
  const counts = {} as ForecastPercentiles<number>;
  for (const p of FORECAST_PERCENTILES) counts[`p${p}`] = atRank(totals, p);
  return { trials, counts };
}

export type ForecastTarget = { items: number } | { by: LocalDate };

export interface ForecastResult {
  history_days: number;
  trials: number;
  when: ({ items: number } & ForecastPercentiles<LocalDate | null>) | null;
  how_many: ({ date: LocalDate } & ForecastPercentiles<number>) | null;
}

/**
 * The spec's forecast output. `history` is the throughput of the N dates ending on as_of's date;
 * day 1 is the date after it, so "by D" sums D − as_of's date samples and "when" is as_of's date + d.
 */
export function computeForecast(input: { history: readonly number[]; asOfDate: LocalDate; target: ForecastTarget; seed: number; trials?: number }): ForecastResult {
  const { history, asOfDate, target, seed } = input;
  if ("items" in target) {
    const { trials, days } = forecastDaysToFinish(history, target.items, seed, input.trials);
    const date = (d: number | null) => (d === null ? null : addDays(asOfDate, d));
    return {
      history_days: history.length,
      trials,
      when: { items: target.items, p50: date(days.p50), p70: date(days.p70), p85: date(days.p85), p95: date(days.p95) },
      how_many: null,
    };
  }
  const days = Math.max(0, daysBetween(asOfDate, target.by));
  const { trials, counts } = forecastItemsByDate(history, days, seed, input.trials);
  return { history_days: history.length, trials, when: null, how_many: { date: target.by, ...counts } };
}
