// Pieces every settings-like form shares: the outcome line of a server action, the roll-up choice.

export interface FormOutcome {
  ok?: string;
  error?: string;
  /** A new secret, shown once. */
  token?: string;
}

/** A server action in form-state style, handed to a client form by its page. */
export type FormAction = (state: FormOutcome, form: FormData) => Promise<FormOutcome>;

/** The result of a server action under its form; `testId` prefixes the -ok / -error test ids. */
export function FormMessage({ state, testId }: { state: FormOutcome; testId?: string }) {
  if (state.error) {
    return (
      <p role="alert" className="form-error" data-testid={testId ? `${testId}-error` : undefined}>
        {state.error}
      </p>
    );
  }
  if (state.ok) {
    return (
      <p role="status" className="form-ok" data-testid={testId ? `${testId}-ok` : undefined}>
        {state.ok}
      </p>
    );
  }
  return null;
}

/** How a KPI rolls daily points up to weeks and months. */
export function AggregationSelect({ label }: { label: string }) {
  return (
    <label>
      {label}{" "}
      <select name="aggregation" defaultValue="sum">
        <option value="sum">sum (e.g. signups)</option>
        <option value="last">last (e.g. MRR)</option>
        <option value="avg">avg (e.g. DAU)</option>
      </select>
    </label>
  );
}
