"use client";

import { useActionState } from "react";
import { AggregationSelect, FormMessage, type FormAction } from "../forms/form-parts";

// The server actions come from the page as props: components import nothing from app/.

export function CreateTokenForm({ create, scopes }: { create: FormAction; scopes: readonly string[] }) {
  const [state, action, pending] = useActionState(create, {});
  return (
    <form action={action} className="inline-form" aria-label="Create an API token">
      <label>
        Name <input name="name" placeholder="billing export job" required />
      </label>
      <fieldset className="scopes">
        <legend>Scopes</legend>
        {scopes.map((s) => (
          <label key={s}>
            <input type="checkbox" name="scopes" value={s} defaultChecked={scopes.length === 1 || s === "kpis:write"} /> {s}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={pending}>
        Create token
      </button>
      <FormMessage state={state} testId="token" />
      {state.token ? (
        <p>
          <code data-testid="new-token">{state.token}</code>
        </p>
      ) : null}
    </form>
  );
}

export function CreateScheduleForm({ create }: { create: FormAction }) {
  const [state, action, pending] = useActionState(create, {});
  return (
    <form action={action} className="stack-form" aria-label="Add a schedule">
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
        or file in the import folder <input name="file" placeholder="kpis.csv" />
      </label>
      <label>
        Auth header from env var <input name="authEnv" placeholder="THROUGHLINE_SECRET_REVENUE" pattern="THROUGHLINE_SECRET_[A-Z0-9_]+" />
      </label>
      <AggregationSelect label="Aggregation of new KPIs" />
      <button type="submit" disabled={pending}>
        Add schedule
      </button>
      <FormMessage state={state} testId="schedule" />
    </form>
  );
}

export function CreateUserForm({ create }: { create: FormAction }) {
  const [state, action, pending] = useActionState(create, {});
  return (
    <form action={action} className="stack-form" aria-label="Add a user">
      <label>
        Email <input name="email" type="email" required />
      </label>
      <label>
        Name <input name="name" required />
      </label>
      <label>
        Password <input name="password" type="password" minLength={10} autoComplete="new-password" placeholder="empty: GitHub or SSO only" />
      </label>
      <label>
        Role{" "}
        <select name="role" defaultValue="viewer">
          <option value="viewer">viewer: sees their teams</option>
          <option value="member">member: also annotates and shares</option>
          <option value="admin">admin: everything</option>
        </select>
      </label>
      <label>
        Teams <input name="teams" placeholder="empty: every team; or payments,growth" />
      </label>
      <button type="submit" disabled={pending}>
        Add user
      </button>
      <FormMessage state={state} testId="user" />
    </form>
  );
}
