"use client";

import { useActionState } from "react";
import { defineKpiAction, uploadKpiAction } from "@/app/kpis/actions";
import { AggregationSelect, FormMessage } from "../forms/form-parts";

export function KpiUploadForm() {
  const [state, action, pending] = useActionState(uploadKpiAction, {});
  return (
    <form action={action} className="stack-form upload" aria-label="Upload KPI points">
      <label>
        CSV or JSON file <input type="file" name="file" accept=".csv,.json,text/csv,application/json" required />
      </label>
      <AggregationSelect label="Aggregation of new KPIs" />
      <button type="submit" disabled={pending}>
        {pending ? "Importing…" : "Upload"}
      </button>
      <FormMessage state={state} testId="upload" />
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
      <AggregationSelect label="Roll-up" />
      <button type="submit" disabled={pending}>
        Save KPI
      </button>
      <FormMessage state={state} testId="define" />
    </form>
  );
}
