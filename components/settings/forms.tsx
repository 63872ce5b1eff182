"use client";

import { useActionState } from "react";
import { createScheduleAction, createTokenAction } from "@/app/settings/actions";
import { AggregationSelect, FormMessage } from "../forms/form-parts";

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, {});
  return (
    <form action={action} className="inline-form">
      <label>
        Name <input name="name" placeholder="billing export job" required />
      </label>
      <button type="submit" disabled={pending}>
        Create token
      </button>
      <FormMessage state={state} />
      {state.token ? (
        <p>
          <code data-testid="new-token">{state.token}</code>
        </p>
      ) : null}
    </form>
  );
}

export function CreateScheduleForm() {
  const [state, action, pending] = useActionState(createScheduleAction, {});
  return (
    <form action={action} className="stack-form">
      <label>
        Name <input name="name" placeholder="Stripe MRR" required />
      </label>
      <label>
        Cron <input name="cron" placeholder="0 6 * * *" required />
      </label>
      <label>
        Timezone <input name="timezone" placeholder="UTC" />
      </label>
      <label>
        URL (CSV or JSON) <input name="url" placeholder="https://…" />
      </label>
      <label>
        or file <input name="file" placeholder="/srv/exports/kpis.csv" />
      </label>
      <label>
        Auth header from env var <input name="authEnv" placeholder="THROUGHLINE_SECRET_REVENUE" pattern="THROUGHLINE_SECRET_[A-Z0-9_]+" />
      </label>
      <AggregationSelect label="Aggregation of new KPIs" />
      <button type="submit" disabled={pending}>
        Add schedule
      </button>
      <FormMessage state={state} />
    </form>
  );
}
