export const PERCENTILES = [50, 70, 85, 95] as const;
export type PercentileName = "p50" | "p70" | "p85" | "p95";
export type Percentiles = Record<PercentileName, number | null>;

/**
 * Nearest-rank percentile: the value at 1-based rank ceil(p/100 × n) of the ascending values.
 * p × n is an exact integer, so the division cannot round across a whole rank.
 */
export function nearestRank(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  return sortedAscending[rank - 1]!;
}

export function computePercentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: nearestRank(sorted, 50),
    p70: nearestRank(sorted, 70),
    p85: nearestRank(sorted, 85),
    p95: nearestRank(sorted, 95),
  };
}

/** The highest percentile that a value is strictly greater than, or null (aging's `exceeds`). */
export function highestExceeded(value: number, percentiles: Percentiles): PercentileName | null {
  let highest: PercentileName | null = null;
  for (const p of PERCENTILES) {
    const name = `p${p}` as PercentileName;
    const threshold = percentiles[name];
    if (threshold !== null && value > threshold) highest = name;
  }
  return highest;
}
