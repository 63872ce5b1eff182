"use client";

// The team's annotations in the window: the list, and for members and admins the forms.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, useTransition } from "react";
import { annotationsQuery, queryKeys, type AnnotationWindow } from "@/lib/client/api";
import type { Annotation } from "@/lib/services/annotations";
import { annotationByline, annotationDates } from "../charts/annotation-marks";
import { FormMessage, type FormAction, type FormOutcome } from "../forms/form-parts";

/** The server actions the page hands over: components import nothing from app/. */
export interface AnnotationActions {
  create: FormAction;
  update: FormAction;
  remove: (form: FormData) => Promise<void>;
}

interface Props {
  team: string;
  window: AnnotationWindow;
  /** Whether the reader may add annotations to this team. */
  annotate: boolean;
  actions: AnnotationActions;
}

/** A form posted without a page load; its fields are kept when the action refuses them. */
function useSubmit(action: FormAction, onDone: (form: HTMLFormElement) => Promise<void> | void) {
  const [state, setState] = useState<FormOutcome>({});
  const [pending, startTransition] = useTransition();
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    startTransition(async () => {
      const result = await action({}, data);
      setState(result);
      if (!result.error) await onDone(form);
    });
  };
  return { state, pending, submit };
}

export function AnnotationsPanel({ team, window, annotate, actions }: Props) {
  const q = useQuery(annotationsQuery(team, window));
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.annotations(team) });
  const headingId = useId();
  const list = q.data ?? [];
  const add = useSubmit(actions.create, async (form) => {
    form.reset();
    await refresh();
  });
  return (
    <section className="card annotations" aria-labelledby={headingId} data-testid="annotations" data-count={q.status === "success" ? list.length : undefined}>
      <h2 id={headingId}>Annotations</h2>
      <p className="explain">Notes on the team&apos;s timeline (an incident, a pricing change), marked on the cycle-time, throughput, WIP and cumulative-flow charts and on outcomes.</p>
      {q.status === "pending" ? (
        <p className="muted" aria-busy="true">
          Loading the annotations…
        </p>
      ) : q.status === "error" ? (
        <p className="form-error" role="alert">
          Could not load the annotations: {q.error.message}
        </p>
      ) : list.length === 0 ? (
        <p className="muted">No annotations from {window.from} to {window.to}.</p>
      ) : (
        <ul className="annotation-list">
          {list.map((a) => (
            <AnnotationEntry key={a.id} annotation={a} actions={actions} onChanged={refresh} />
          ))}
        </ul>
      )}
      {annotate ? (
        <form onSubmit={add.submit} className="inline-form annotation-form" aria-label="Add an annotation" data-testid="annotation-form">
          <input type="hidden" name="team" value={team} />
          <AnnotationFields defaults={{ starts_on: window.to }} />
          <button type="submit" disabled={add.pending}>
            Add
          </button>
          <FormMessage state={add.state} testId="annotation" />
        </form>
      ) : null}
    </section>
  );
}

function AnnotationFields({ defaults }: { defaults: Partial<Pick<Annotation, "starts_on" | "ends_on" | "label" | "note">> }) {
  return (
    <>
      <label>
        On (or from) <input type="date" name="starts_on" required defaultValue={defaults.starts_on} />
      </label>
      <label>
        To (for a range) <input type="date" name="ends_on" defaultValue={defaults.ends_on ?? ""} />
      </label>
      <label>
        Label <input name="label" required maxLength={80} placeholder="pricing change" defaultValue={defaults.label} />
      </label>
      <label className="annotation-note">
        Note <input name="note" maxLength={2000} placeholder="optional" defaultValue={defaults.note ?? ""} />
      </label>
    </>
  );
}

function AnnotationEntry({ annotation: a, actions, onChanged }: { annotation: Annotation; actions: AnnotationActions; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [removing, startRemoving] = useTransition();
  const edit = useSubmit(actions.update, async () => {
    setEditing(false);
    await onChanged();
  });
  return (
    <li data-testid="annotation" data-annotation-id={a.id}>
      <div className="annotation-head">
        <strong>{a.label}</strong> <span className="muted">{annotationDates(a)}</span>
        {a.editable && !editing ? (
          <span className="annotation-actions">
            <button type="button" className="link" aria-label={`Edit ${a.label}`} onClick={() => setEditing(true)}>
              Edit
            </button>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                const data = new FormData(event.currentTarget);
                startRemoving(async () => {
                  await actions.remove(data);
                  await onChanged();
                });
              }}
            >
              <input type="hidden" name="id" value={a.id} />
              <button type="submit" className="link" aria-label={`Delete ${a.label}`} disabled={removing}>
                Delete
              </button>
            </form>
          </span>
        ) : null}
      </div>
      {a.note ? <p className="annotation-text">{a.note}</p> : null}
      <p className="annotation-by muted">{annotationByline(a)}</p>
      {editing ? (
        <form onSubmit={edit.submit} className="inline-form" aria-label={`Edit ${a.label}`} data-testid="annotation-edit-form">
          <input type="hidden" name="id" value={a.id} />
          <AnnotationFields defaults={a} />
          <button type="submit" disabled={edit.pending}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
          <FormMessage state={edit.state} testId="annotation-edit" />
        </form>
      ) : null}
    </li>
  );
}
