// Monte Carlo forecasts from daily throughput (spec §3 "Forecast"). Pure and seedable.
import { seededRandom } from "./random";

export const FORECAST_TRIALS = 10_000;
export const FORECAST_PERCENTILES = [50, 70, 85, 95] as const;
/** A trial that has not finished after this many days gives up: the forecast says "not in sight". */
export const MAX_FORECAST_DAYS = 3_650;

export type ForecastPercentiles = Record<"p50" | "p70" | "p85" | "p95", number | null>;

function rankAscending(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

/**
 * When will `remaining` items be done: for each trial, days until the running sum of sampled daily
 * throughputs reaches it. p85 = the number of days within which 85% of trials finished; null when
 * that share of trials did not finish within MAX_FORECAST_DAYS.
 */
export function forecastDaysToFinish(dailyThroughput: readonly number[], remaining: number, seed: number, trials = FORECAST_TRIALS): ForecastPercentiles {
  const result: ForecastPercentiles = { p50: null, p70: null, p85: null, p95: null };
  if (remaining <= 0) return { p50: 0, p70: 0, p85: 0, p95: 0 };
  if (dailyThroughput.length === 0) return result;
  const random = seededRandom(seed);
  const days = new Array<number>(trials);
  for (let t = 0; t < trials; t++) {
    let done = 0;
    let d = 0;
    while (done < remaining && d < MAX_FORECAST_DAYS) {
      done += dailyThroughput[Math.floor(random() * dailyThroughput.length)]!;
      d++;
    }
    days[t] = done >= remaining ? d : Infinity;
  }
  days.sort((a, b) => a - b);
  for (const p of FORECAST_PERCENTILES) {
    const v = rankAscending(days, p);
    result[`p${p}`] = Number.isFinite(v) ? v : null;
  }
  return result;
}

/**
 * How many items will be done in `days` days: the sum of sampled daily throughputs per trial.
 * p85 = the count that 85% of trials reach or exceed.
 */
export function forecastItemsByDate(dailyThroughput: readonly number[], days: number, seed: number, trials = FORECAST_TRIALS): ForecastPercentiles {
  if (dailyThroughput.length === 0) return { p50: null, p70: null, p85: null, p95: null };
  const random = seededRandom(seed);
  const totals = new Array<number>(trials);
  for (let t = 0; t < trials; t++) {
    let sum = 0;
    for (let d = 0; d < days; d++) sum += dailyThroughput[Math.floor(random() * dailyThroughput.length)]!;
    totals[t] = sum;
  }
  // Descending: the value at rank ceil(p% × n) is reached or exceeded by p% of trials.
  totals.sort((a, b) => b - a);
  const result = {} as ForecastPercentiles;
  for (const p of FORECAST_PERCENTILES) result[`p${p}`] = rankAscending(totals, p);
  return result;
}
