"use client";

// The list of items behind a number on a card, each a link to its item page.
import { useId } from "react";
import { useShareMode } from "../share/share-mode";

export function itemHref(team: string, key: string): string {
  return `/teams/${encodeURIComponent(team)}/items/${encodeURIComponent(key)}`;
}

/** An item's key: a link to its page in the app, plain text in a shared view (it links nowhere). */
export function ItemKey({ team, itemKey, testId, title }: { team: string; itemKey: string; testId?: string; title?: string }) {
  const { shared } = useShareMode();
  if (shared) {
    return (
      <span className="item-key" data-testid={testId} title={title}>
        {itemKey}
      </span>
    );
  }
  return (
    <a href={itemHref(team, itemKey)} data-testid={testId} title={title}>
      {itemKey}
    </a>
  );
}

export interface ListedItem {
  key: string;
  title?: string;
  /** A short fact beside the title: its status, its cycle time… */
  detail?: string;
}

interface ItemListPanelProps {
  team: string;
  /** Names the panel for tests: data-testid="drill-<id>". */
  id: string;
  heading: string;
  /** What was chosen (a date, a week, a status on a date), for tests and styles. */
  subject?: string;
  /** The number on the chart that the list explains; the list should be as long. */
  expected?: number;
  note?: React.ReactNode;
  status: "pending" | "error" | "success";
  error?: Error | null;
  items: readonly ListedItem[];
  onClose: () => void;
}

/** A panel under a chart: the items behind the number that was clicked or chosen. */
export function ItemListPanel(props: ItemListPanelProps) {
  const headingId = useId();
  return (
    <section
      className="drill"
      aria-labelledby={headingId}
      data-testid={`drill-${props.id}`}
      data-status={props.status}
      data-subject={props.subject}
      data-expected={props.expected}
      data-count={props.status === "success" ? props.items.length : undefined}
    >
      <div className="drill-head">
        <h3 id={headingId}>{props.heading}</h3>
        <button type="button" className="link" onClick={props.onClose}>
          Close
        </button>
      </div>
      {props.note ? <p className="drill-note">{props.note}</p> : null}
      {props.status === "pending" ? (
        <p className="muted" aria-busy="true">
          Loading the items…
        </p>
      ) : props.status === "error" ? (
        <p className="form-error" role="alert">
          Could not load the items: {props.error?.message ?? "unknown error"}
        </p>
      ) : props.items.length === 0 ? (
        <p className="muted">No items.</p>
      ) : (
        <ol className="drill-list">
          {props.items.map((i) => (
            <li key={i.key}>
              <ItemKey team={props.team} itemKey={i.key} testId="drill-item" />
              <span className="drill-title">{i.title}</span>
              {i.detail ? <span className="muted">{i.detail}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The keyboard way to the same lists: choose a period from the chart's own. */
export function PeriodPicker(props: { label: string; value: string | null; options: { value: string; label: string }[]; onChange: (value: string | null) => void }) {
  return (
    <label className="drill-pick">
      {props.label}{" "}
      <select value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value || null)}>
        <option value="">choose…</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Choose a day of the window. */
export function DayPicker(props: { label: string; value: string | null; min: string; max: string; onChange: (value: string | null) => void }) {
  return (
    <label className="drill-pick">
      {props.label}{" "}
      <input
        type="date"
        min={props.min}
        max={props.max}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value && e.target.value >= props.min && e.target.value <= props.max ? e.target.value : null)}
      />
    </label>
  );
}
