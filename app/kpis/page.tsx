import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { DefineKpiForm, KpiUploadForm } from "@/components/kpis/upload-form";
import { canWriteKpis } from "@/lib/auth/permissions";
import { pageContext } from "@/lib/services/entries";
import { listKpiOverview } from "@/lib/services/kpis";
import { defineKpiAction, uploadKpiAction } from "./actions";

export const metadata: Metadata = { title: "KPIs" };

export default async function KpisPage() {
  await connection();
  const ctx = await pageContext("/kpis");
  const kpis = await listKpiOverview(ctx);
  const mayWrite = canWriteKpis(ctx.actor) === null;
  return (
    <>
      <h1>KPIs</h1>
      <p className="lede">Business numbers beside the engineering flow. Upload a file here, push points with an API token, or schedule an import in Settings.</p>
      <section className="card">
        <h2>Upload</h2>
        <p className="explain">
          CSV with a header <code>kpi,date,value</code> (and optionally <code>segment</code>), or JSON <code>{'{ "kpi": {…}, "points": […] }'}</code>. Re-uploading a point replaces it.
        </p>
        {mayWrite ? (
          <>
            <KpiUploadForm upload={uploadKpiAction} />
            <h3>Define a KPI</h3>
            <p className="explain">Its roll-up says how days become weeks and months: sum (signups), last (MRR) or avg (DAU).</p>
            <DefineKpiForm define={defineKpiAction} />
          </>
        ) : (
          <p className="muted" data-testid="kpi-write-refused">Only an admin uploads and defines KPIs.</p>
        )}
      </section>
      <section className="card">
        <h2>All KPIs</h2>
        {kpis.length === 0 ? (
          <p className="empty-chart">No KPIs yet.</p>
        ) : (
          <table data-testid="kpi-list">
            <thead>
              <tr>
                <th scope="col">KPI</th>
                <th scope="col">Unit</th>
                <th scope="col">Roll-up</th>
                <th scope="col">Points</th>
                <th scope="col">Last date</th>
              </tr>
            </thead>
            <tbody>
              {kpis.map((k) => (
                <tr key={k.key} data-kpi={k.key}>
                  <th scope="row">
                    <Link href={`/kpis/${encodeURIComponent(k.key)}`}>{k.name}</Link>
                  </th>
                  <td>{k.unit ?? "–"}</td>
                  <td>{k.aggregation}</td>
                  <td>{k.points}</td>
                  <td>{k.last_date ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
