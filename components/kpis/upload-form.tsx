"use client";

import { useActionState } from "react";
import { defineKpiAction, uploadKpiAction } from "@/app/kpis/actions";

export function KpiUploadForm() {
  const [state, action, pending] = useActionState(uploadKpiAction, {});
  return (
    <form action={action} className="stack-form upload" aria-label="Upload KPI points">
      <label>
        CSV or JSON file <input type="file" name="file" accept=".csv,.json,text/csv,application/json" required />
      </label>
      <label>
        Aggregation of new KPIs{" "}
        <select name="aggregation" defaultValue="sum">
          <option value="sum">sum (e.g. signups)</option>
          <option value="last">last (e.g. MRR)</option>
          <option value="avg">avg (e.g. DAU)</option>
        </select>
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Importing…" : "Upload"}
      </button>
      {state.error ? (
        <p role="alert" className="form-error" data-testid="upload-error">
          {state.error}
        </p>
      ) : null}
      {state.ok ? (
        <p role="status" className="form-ok" data-testid="upload-ok">
          {state.ok}
        </p>
      ) : null}
    </form>
  );
}

export function DefineKpiForm() {
  const [state, action, pending] = useActionState(defineKpiAction, {});
  return (
    <form action={action} className="stack-form" aria-label="Define a KPI">
      <label>
        Key <input name="key" placeholder="mrr" required />
      </label>
      <label>
        Name <input name="name" placeholder="Monthly recurring revenue" />
      </label>
      <label>
        Unit <input name="unit" placeholder="USD" />
      </label>
      <label>
        Roll-up{" "}
        <select name="aggregation" defaultValue="sum">
          <option value="sum">sum</option>
          <option value="last">last</option>
          <option value="avg">avg</option>
        </select>
      </label>
      <button type="submit" disabled={pending}>
        Save KPI
      </button>
      {state.error ? (
        <p role="alert" className="form-error" data-testid="define-error">
          {state.error}
        </p>
      ) : null}
      {state.ok ? (
        <p role="status" className="form-ok" data-testid="define-ok">
          {state.ok}
        </p>
      ) : null}
    </form>
  );
}
