"use client";

import { useActionState, useState } from "react";
import { FormMessage, type FormAction } from "../forms/form-parts";

// The forms of the tracker sources pages; the server actions come from the page as props.

const KINDS = [
  { kind: "jira", label: "Jira Cloud" },
  { kind: "github", label: "GitHub" },
  { kind: "linear", label: "Linear" },
] as const;
type Kind = (typeof KINDS)[number]["kind"];

/** Every kind's fields are in the form (one kind shown at a time); the action reads the chosen kind's only. */
export function AddSourceForm({ add }: { add: FormAction }) {
  const [state, action, pending] = useActionState(add, {});
  const [kind, setKind] = useState<Kind>("jira");
  return (
    <form action={action} className="stack-form" aria-label="Add a source">
      <label>
        Name <input name="name" placeholder="payments-jira" required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}" />
      </label>
      <label>
        Tracker{" "}
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Team key <input name="team" placeholder="payments" required />
      </label>
      <label>
        Token from env var <input name="secretEnv" placeholder="THROUGHLINE_SECRET_JIRA" required pattern="THROUGHLINE_SECRET_[A-Z0-9_]+" />
      </label>
      <fieldset hidden={kind !== "jira"} disabled={kind !== "jira"}>
        <legend>Jira Cloud</legend>
        <label>
          Site URL <input name="jira.siteUrl" placeholder="https://your-team.atlassian.net" />
        </label>
        <label>
          Account email <input name="jira.email" type="email" placeholder="sync-bot@example.com" />
        </label>
        <label>
          JQL <input name="jira.jql" placeholder="project = PAY" />
        </label>
        <label>
          Milestones from{" "}
          <select name="jira.milestones" defaultValue="fixVersion">
            <option value="fixVersion">fix versions</option>
            <option value="epic">epics</option>
          </select>
        </label>
        <label>
          Flagged field <input name="jira.flaggedField" placeholder="customfield_10021" />
        </label>
      </fieldset>
      <fieldset hidden={kind !== "github"} disabled={kind !== "github"}>
        <legend>GitHub</legend>
        <label>
          Owner <input name="github.owner" placeholder="acme" />
        </label>
        <label>
          Repository <input name="github.repo" placeholder="payments" />
        </label>
        <label>
          API URL <input name="github.baseUrl" placeholder="https://api.github.com" />
        </label>
        <label>
          In progress when labelled <input name="github.inProgress.label" placeholder="in progress" />
        </label>
        <label>
          In progress when assigned{" "}
          <select name="github.inProgress.assignment" defaultValue="true">
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        </label>
        <label>
          Blocker labels <input name="github.blockerLabels" placeholder="blocked" />
        </label>
      </fieldset>
      <fieldset hidden={kind !== "linear"} disabled={kind !== "linear"}>
        <legend>Linear</legend>
        <label>
          Linear team key <input name="linear.teamKey" placeholder="PAY" />
        </label>
        <label>
          Milestones from{" "}
          <select name="linear.milestones" defaultValue="project">
            <option value="project">projects</option>
            <option value="cycle">cycles</option>
          </select>
        </label>
        <label>
          API URL <input name="linear.apiUrl" placeholder="https://api.linear.app/graphql" />
        </label>
      </fieldset>
      <label>
        Sync by itself (cron) <input name="cron" placeholder="*/30 * * * * (empty: only when asked)" />
      </label>
      <label>
        Timezone <input name="timezone" placeholder="UTC" />
      </label>
      <button type="submit" disabled={pending}>
        Add source
      </button>
      <FormMessage state={state} testId="source" />
    </form>
  );
}

/** A button that runs an action for one source and shows its outcome beside it. */
export function SourceActionButton({ act, source, button, testId, pendingText, fields }: { act: FormAction; source: string; button: string; testId: string; pendingText: string; fields?: Record<string, string> }) {
  const [state, action, pending] = useActionState(act, {});
  return (
    <form action={action} className="row-form" aria-label={`${button}: ${source}`}>
      <input type="hidden" name="source" value={source} />
      {Object.entries(fields ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" disabled={pending}>
        {pending ? pendingText : button}
      </button>
      <FormMessage state={state} testId={testId} />
    </form>
  );
}

export interface MappingRow {
  id: string;
  name: string;
  suggested: "todo" | "in_progress" | "done" | null;
  category: "todo" | "in_progress" | "done" | null;
  blocked: boolean;
  discarded: boolean;
  reviewed: boolean;
  /** False for a status only the history still names (the tracker no longer lists it). */
  listed: boolean;
  now: number;
  ever: number;
}

const CATEGORY_LABEL = { todo: "to do", in_progress: "in progress", done: "done" } as const;

/** The status → category mapping as one form: a row per status the tracker lists, with its item counts. */
export function MappingForm({ act, source, rows }: { act: FormAction; source: string; rows: MappingRow[] }) {
  const [state, action, pending] = useActionState(act, {});
  return (
    <form action={action} aria-label={`Status mapping of ${source}`}>
      <input type="hidden" name="source" value={source} />
      <div className="table-wrap">
        <table data-testid="mapping">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Tracker suggests</th>
              <th scope="col">Category</th>
              <th scope="col">Blocked</th>
              <th scope="col">Discarded</th>
              <th scope="col">Items now</th>
              <th scope="col">Items ever</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-status={r.name} data-reviewed={r.reviewed ? "true" : undefined} data-listed={r.listed ? undefined : "false"}>
                <th scope="row">
                  {r.name} <span className="muted">{r.id}</span>
                  {r.listed ? null : <span className="muted"> · no longer in the tracker&apos;s list</span>}
                  <input type="hidden" name="status" value={r.id} />
                </th>
                <td>{r.suggested ? CATEGORY_LABEL[r.suggested] : <span className="muted">none</span>}</td>
                <td>
                  <select name={`category:${r.id}`} defaultValue={r.category ?? "in_progress"} aria-label={`Category of ${r.name}`}>
                    <option value="todo">to do</option>
                    <option value="in_progress">in progress</option>
                    <option value="done">done</option>
                  </select>
                  {r.reviewed ? <span className="muted"> reviewed</span> : null}
                </td>
                <td>
                  <input type="checkbox" name={`blocked:${r.id}`} defaultChecked={r.blocked} aria-label={`${r.name} means blocked`} />
                </td>
                <td>
                  <input type="checkbox" name={`discarded:${r.id}`} defaultChecked={r.discarded} aria-label={`${r.name} means discarded`} />
                </td>
                <td data-testid="items-now">{r.now}</td>
                <td data-testid="items-ever">{r.ever}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="submit" disabled={pending || rows.length === 0}>
        Save mapping
      </button>
      <FormMessage state={state} testId="mapping" />
    </form>
  );
}
