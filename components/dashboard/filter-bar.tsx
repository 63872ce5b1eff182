"use client";

import { useState } from "react";
import { RANGE_PRESETS, type DashboardView, type MetricRequest } from "@/lib/views/dashboard-view";

interface Props {
  view: DashboardView;
  request: MetricRequest;
  types: string[];
  onChange: (change: Partial<DashboardView>) => void;
}

/** Date range, item type and as-of: every choice goes into the URL. */
export function FilterBar({ view, request, types, onChange }: Props) {
  const [from, setFrom] = useState(request.from);
  const [to, setTo] = useState(request.to);
  const [asOf, setAsOf] = useState(view.asOf ?? "");
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="presets">
        <legend>Range</legend>
        {RANGE_PRESETS.map((days) => (
          <button
            key={days}
            type="button"
            aria-pressed={view.range === days}
            data-testid={`range-${days}`}
            onClick={() => onChange({ range: days, from: undefined, to: undefined })}
          >
            {days} days
          </button>
        ))}
      </fieldset>
      <fieldset className="custom-range">
        <legend>Custom</legend>
        <label>
          From <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" data-testid="apply-range" disabled={!from || !to || from > to} onClick={() => onChange({ range: null, from, to })}>
          Apply
        </button>
      </fieldset>
      <label>
        Type{" "}
        <select name="type" value={view.type ?? ""} onChange={(e) => onChange({ type: e.target.value || undefined })}>
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        As of{" "}
        <input
          type="text"
          name="as_of"
          placeholder="now, or 2026-06-30T17:00:00Z"
          value={asOf}
          onChange={(e) => setAsOf(e.target.value)}
          onBlur={() => onChange({ asOf: asOf.trim() || undefined })}
          onKeyDown={(e) => {
            if (e.key === "Enter") onChange({ asOf: asOf.trim() || undefined });
          }}
        />
      </label>
    </form>
  );
}
