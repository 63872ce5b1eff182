import type { MouseHandlerDataParam } from "recharts";

/** The data index under the pointer when a chart is clicked (Recharts may report it as a string). */
export function clickedIndex(state: MouseHandlerDataParam): number | null {
  const i = state.activeIndex;
  if (i === null || i === undefined || i === "") return null;
  const n = Number(i);
  return Number.isInteger(n) && n >= 0 ? n : null;
}
