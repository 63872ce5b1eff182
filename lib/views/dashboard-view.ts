// A dashboard view as URL query parameters: parsing, defaults and the metric window it asks for.
// Pure, shared by the server page (prefetch) and the client (queries), so both ask for the same data.
import { addDays, isLocalDate, localDate, type LocalDate } from "../time/calendar";

export const RANGE_PRESETS = [30, 90, 180, 365] as const;
export const DEFAULT_RANGE = 90;

export interface DashboardView {
  /** Days ending today (or on as_of's date); null when from/to are set. */
  range: number | null;
  from?: LocalDate;
  to?: LocalDate;
  type?: string;
  /** An instant with an offset: the view as it was then. */
  asOf?: string;
  interval: "day" | "week";
  /** Cumulative flow: done counted since the window's first day (default), or in total. */
  cfd: CfdCount;
}

export type CfdCount = "since" | "total";

type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

function get(input: SearchInput, name: string): string | undefined {
  if (input instanceof URLSearchParams) return input.get(name) ?? undefined;
  const v = input[name];
  return Array.isArray(v) ? v[0] : v;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads a view from the query string; anything malformed falls back to the default. */
export function parseView(input: SearchInput): DashboardView {
  const from = get(input, "from");
  const to = get(input, "to");
  const custom = from && to && isLocalDate(from) && isLocalDate(to) && from <= to;
  const range = Number(get(input, "range"));
  const asOf = get(input, "as_of");
  const type = get(input, "type");
  return {
    range: custom ? null : (RANGE_PRESETS as readonly number[]).includes(range) ? range : DEFAULT_RANGE,
    ...(custom ? { from, to } : {}),
    ...(type ? { type } : {}),
    ...(asOf && INSTANT.test(asOf) && !Number.isNaN(Date.parse(asOf)) ? { asOf } : {}),
    interval: get(input, "interval") === "day" ? "day" : "week",
    cfd: get(input, "cfd") === "total" ? "total" : "since",
  };
}

/** The query string of a view, defaults left out so that links stay short. */
export function viewToSearch(view: DashboardView): string {
  const p = new URLSearchParams();
  if (view.range === null && view.from && view.to) {
    p.set("from", view.from);
    p.set("to", view.to);
  } else if (view.range !== null && view.range !== DEFAULT_RANGE) {
    p.set("range", String(view.range));
  }
  if (view.type) p.set("type", view.type);
  if (view.asOf) p.set("as_of", view.asOf);
  if (view.interval !== "week") p.set("interval", view.interval);
  if (view.cfd !== "since") p.set("cfd", view.cfd);
  const s = p.toString();
  return s ? `?${s}` : "";
}

export interface MetricRequest {
  from: LocalDate;
  to: LocalDate;
  as_of?: string;
  type?: string;
}

/** The metric API parameters of a view for a team in its timezone, "today" taken from `now`. */
export function metricRequest(view: DashboardView, timeZone: string, now: Date): MetricRequest {
  const end = view.asOf ? new Date(view.asOf) : now;
  const to = view.range === null && view.to ? view.to : localDate(end, timeZone);
  const from = view.range === null && view.from ? view.from : addDays(to, -((view.range ?? DEFAULT_RANGE) - 1));
  return { from, to, ...(view.asOf ? { as_of: view.asOf } : {}), ...(view.type ? { type: view.type } : {}) };
}

/** Aging compares with the cycle times of the 90 days up to as_of, whatever the view's range. */
export function agingReferenceRequest(view: DashboardView, timeZone: string, now: Date): MetricRequest {
  const to = localDate(view.asOf ? new Date(view.asOf) : now, timeZone);
  return { from: addDays(to, -89), to, ...(view.asOf ? { as_of: view.asOf } : {}), ...(view.type ? { type: view.type } : {}) };
}
