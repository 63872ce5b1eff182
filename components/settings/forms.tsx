"use client";

import { useActionState, useSyncExternalStore, type ReactNode } from "react";
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

function RoleSelect({ defaultValue = "viewer", label }: { defaultValue?: string; label?: string }) {
  return (
    <select name="role" defaultValue={defaultValue} aria-label={label}>
      <option value="viewer">viewer: sees their teams</option>
      <option value="member">member: also annotates and shares</option>
      <option value="admin">admin: everything</option>
    </select>
  );
}

const noSubscription = () => () => {};

/** The page's own origin and a path: the full link, built in the browser (never from a request's Host). */
export function InviteLink({ path }: { path: string }) {
  const origin = useSyncExternalStore(noSubscription, () => window.location.origin, () => "");
  return (
    <p className="invite-link">
      <code data-testid="invite-link" data-path={path}>
        {origin}
        {path}
      </code>
    </p>
  );
}

export function InviteForm({ invite }: { invite: FormAction }) {
  const [state, action, pending] = useActionState(invite, {});
  return (
    <form action={action} className="stack-form" aria-label="Invite someone">
      <label>
        Email <input name="email" type="email" required />
      </label>
      <label>
        Role <RoleSelect />
      </label>
      <label>
        Teams <input name="teams" placeholder="empty: every team; or payments,growth" />
      </label>
      <button type="submit" disabled={pending}>
        Make an invite link
      </button>
      <FormMessage state={state} testId="invite" />
      {state.token ? <InviteLink path={state.token} /> : null}
    </form>
  );
}

/**
 * One small form in a table row (a user's role, teams, or state): the page passes its fields as
 * children; the outcome shows beside the button.
 */
export function RowForm({ act, label, button, testId, children }: { act: FormAction; label: string; button: string; testId: string; children?: ReactNode }) {
  const [state, action, pending] = useActionState(act, {});
  return (
    <form action={action} className="row-form" aria-label={label}>
      {children}
      <button type="submit" disabled={pending}>
        {button}
      </button>
      <FormMessage state={state} testId={testId} />
    </form>
  );
}

export function UserRoleForm({ act, userId, role, name }: { act: FormAction; userId: number; role: string; name: string }) {
  return (
    <RowForm act={act} label={`Role of ${name}`} button="Save" testId="user-role">
      <input type="hidden" name="id" value={userId} />
      <RoleSelect defaultValue={role} label="Role" />
    </RowForm>
  );
}
