"use client";

import { useActionState, useId, useState } from "react";
import type { FormAction } from "../forms/form-parts";

export interface ShareTarget {
  team: string;
  kind: "chart" | "dashboard" | "outcomes";
  chart?: string;
  /** The view's query parameters (filters, window), as in its address. */
  view: Record<string, string>;
  /** The view's window in days, offered as the rolling window. */
  days?: number;
}

/**
 * "Share": makes a link that opens this view without an account — frozen as it is now, or kept to
 * the last N days — with an optional expiry. The link is shown once, with a copy button.
 */
export function ShareButton({ target, create, label = "Share" }: { target: ShareTarget; create: FormAction; label?: string }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState(create, {});
  const [copied, setCopied] = useState(false);
  const id = useId();
  const url = state.token ? `${window.location.origin}${state.token}` : null;
  return (
    <div className="share">
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} data-testid={`share-${target.chart ?? target.kind}`}>
        {label}
      </button>
      {open ? (
        <div id={id} className="share-panel" role="dialog" aria-label={`Share ${target.chart ?? target.kind}`}>
          <form action={action} className="stack-form">
            <input type="hidden" name="team" value={target.team} />
            <input type="hidden" name="kind" value={target.kind} />
            {target.chart ? <input type="hidden" name="chart" value={target.chart} /> : null}
            <input type="hidden" name="view" value={JSON.stringify(target.view)} />
            <fieldset>
              <legend>Numbers</legend>
              <label>
                <input type="radio" name="window" value="fixed" defaultChecked /> as they are now
              </label>
              <label>
                <input type="radio" name="window" value="rolling" /> the last <input name="rolling_days" type="number" min={1} max={366} defaultValue={target.days ?? 30} aria-label="days" /> days, at each visit
              </label>
            </fieldset>
            <label>
              Expires{" "}
              <select name="expires_in_days" defaultValue="0">
                <option value="0">never (until revoked)</option>
                <option value="7">in 7 days</option>
                <option value="30">in 30 days</option>
                <option value="90">in 90 days</option>
              </select>
            </label>
            <button type="submit" disabled={pending}>
              {pending ? "Creating…" : "Create link"}
            </button>
          </form>
          {state.error ? (
            <p role="alert" className="form-error">
              {state.error}
            </p>
          ) : null}
          {url ? (
            <p className="share-url">
              <input readOnly value={url} aria-label="Share link" data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                onClick={() => {
                  void navigator.clipboard?.writeText(url).then(() => setCopied(true));
                }}
              >
                {copied ? "Copied" : "Copy"}
              </button>
              <span className="muted">{state.ok}</span>
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
