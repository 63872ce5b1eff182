"use client";

import { useActionState, useState } from "react";
import { KPI_UPLOAD_TOO_LARGE, MAX_KPI_UPLOAD_BYTES } from "@/lib/ingest/upload-limits";
import { AggregationSelect, FormMessage, type FormAction } from "../forms/form-parts";

// The server actions come from the page as props: components import nothing from app/.
export function KpiUploadForm({ upload }: { upload: FormAction }) {
  const [state, action, pending] = useActionState(upload, {});
  // Too large to send at all: said here, before 20 MB travel only to be refused.
  const [tooLarge, setTooLarge] = useState(false);
  return (
    <form
      action={action}
      className="stack-form upload"
      aria-label="Upload KPI points"
      onSubmit={(event) => {
        const file = (event.currentTarget.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
        const refuse = file !== undefined && file.size > MAX_KPI_UPLOAD_BYTES;
        setTooLarge(refuse);
        if (refuse) event.preventDefault();
      }}
    >
      <label>
        CSV or JSON file <input type="file" name="file" accept=".csv,.json,text/csv,application/json" required />
      </label>
      <AggregationSelect label="Aggregation of new KPIs" />
      <button type="submit" disabled={pending}>
        {pending ? "Importing…" : "Upload"}
      </button>
      <FormMessage state={tooLarge ? { error: KPI_UPLOAD_TOO_LARGE } : state} testId="upload" />
    </form>
  );
}

export function DefineKpiForm({ define }: { define: FormAction }) {
  const [state, action, pending] = useActionState(define, {});
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
