"use client";

// The forms of roadblocks and decisions; the server actions come from the page as props.
import { useActionState } from "react";
import { FormMessage, type FormAction } from "../forms/form-parts";

/** "Report a roadblock" on an item's page (its anchor #report-roadblock is linked from the dashboard). */
export function ReportRoadblockForm({ report, team, item }: { report: FormAction; team: string; item: string }) {
  const [state, action, pending] = useActionState(report, {});
  return (
    <form action={action} className="stack-form" aria-label="Report a roadblock" data-testid="report-roadblock-form">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="item" value={item} />
      <label>
        What blocks <textarea name="problem" required maxLength={2000} rows={2} placeholder="The staging database is read-only" />
      </label>
      <label>
        Proposed solution <textarea name="proposal" required maxLength={2000} rows={2} placeholder="Ask platform for a writable snapshot" />
      </label>
      <label>
        Support needed (from whom or which team) <input name="support_needed" maxLength={2000} placeholder="optional" />
      </label>
      <label>
        Blocked since (the team&apos;s time; blank: now) <input type="datetime-local" name="since" />
      </label>
      <button type="submit" disabled={pending}>
        Report the roadblock
      </button>
      <FormMessage state={state} testId="report-roadblock" />
    </form>
  );
}

/** A reviewer's written answer to a roadblock. */
export function DecideRoadblockForm({ decide, team, id }: { decide: FormAction; team: string; id: number }) {
  const [state, action, pending] = useActionState(decide, {});
  return (
    <form action={action} className="stack-form" aria-label="Answer the roadblock" data-testid="decide-roadblock-form">
      <input type="hidden" name="team" value={team} />
      <input type="hidden" name="id" value={id} />
      <fieldset>
        <legend>Decision</legend>
        <label>
          <input type="radio" name="decision" value="accepted" defaultChecked /> accept the proposal
        </label>
        <label>
          <input type="radio" name="decision" value="other" /> another way
        </label>
        <label>
          <input type="radio" name="decision" value="resolved" /> resolved (ends the block)
        </label>
      </fieldset>
      <label>
        Written decision <textarea name="text" required maxLength={2000} rows={3} />
      </label>
      <label>
        <input type="checkbox" name="ends_block" /> this ends the block now
      </label>
      <label>
        <input type="checkbox" name="show_on_charts" /> show on the charts
      </label>
      <button type="submit" disabled={pending}>
        Record the decision
      </button>
      <FormMessage state={state} testId="decide-roadblock" />
    </form>
  );
}

/** A new entry in the team's decisions log. */
export function DecisionForm({ create, team, today }: { create: FormAction; team: string; today: string }) {
  const [state, action, pending] = useActionState(create, {});
  return (
    <form action={action} className="stack-form" aria-label="Record a decision" data-testid="decision-form">
      <input type="hidden" name="team" value={team} />
      <label>
        Title <input name="title" required maxLength={120} placeholder="Freeze the payments API" />
      </label>
      <label>
        Rationale <textarea name="rationale" required maxLength={2000} rows={3} />
      </label>
      <label>
        Decided on <input type="date" name="decided_on" defaultValue={today} max={today} />
      </label>
      <label>
        Items (keys, separated by commas) <input name="items" placeholder="PAY-12, PAY-14" />
      </label>
      <label>
        Milestones (keys) <input name="milestones" placeholder="optional" />
      </label>
      <label>
        Roadblock (its number) <input name="roadblock" inputMode="numeric" placeholder="optional" />
      </label>
      <label>
        <input type="checkbox" name="show_on_charts" /> show on the charts
      </label>
      <button type="submit" disabled={pending}>
        Record the decision
      </button>
      <FormMessage state={state} testId="decision" />
    </form>
  );
}
