"use client";

import { useActionState } from "react";
import { createScheduleAction, createTokenAction, type ActionState } from "@/app/settings/actions";

function Message({ state }: { state: ActionState }) {
  if (state.error) return <p role="alert" className="form-error">{state.error}</p>;
  if (state.ok) return <p role="status" className="form-ok">{state.ok}</p>;
  return null;
}

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
      <Message state={state} />
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
        Auth header from env var <input name="authEnv" placeholder="REVENUE_API_TOKEN" />
      </label>
      <label>
        Aggregation of new KPIs{" "}
        <select name="aggregation" defaultValue="sum">
          <option value="sum">sum</option>
          <option value="last">last</option>
          <option value="avg">avg</option>
        </select>
      </label>
      <button type="submit" disabled={pending}>
        Add schedule
      </button>
      <Message state={state} />
    </form>
  );
}
