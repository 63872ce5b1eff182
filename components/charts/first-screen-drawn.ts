// The interactive versions of the charts at the top of the dashboard (the cycle-time scatter and
// histogram), and of throughput just below, behind one dynamic import. Imported one by one, each
// chunk got its own copy of the small Recharts modules they share (reference lines and areas,
// cells): Turbopack merges small shared chunks into each group rather than load them apart, and
// the first screen fetched the same 3–4 KB twice. The cost: on a shared view, pointing at either
// chart fetches both charts' code.
export { default as CycleTimeScatterDrawn } from "./cycle-time-scatter-drawn";
export { default as BarSeriesDrawn } from "./bar-series-drawn";
