"use client";

import { useActionState } from "react";
import { uploadKpiAction } from "@/app/kpis/actions";

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
