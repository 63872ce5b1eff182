import type { Metadata } from "next";
import { connection } from "next/server";
import { CreateScheduleForm, CreateTokenForm } from "@/components/settings/forms";
import { listApiTokens } from "@/lib/access/api-tokens";
import { getDb } from "@/lib/db/client";
import { listImportRuns } from "@/lib/ingest/runs";
import { listSchedules } from "@/lib/jobs/scheduled-import";
import { nextRun } from "@/lib/jobs/schedules";
import { revokeTokenAction, runNowAction, toggleScheduleAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

const when = (d: Date | null) => (d ? d.toISOString().replace(".000Z", "Z").replace("T", " ") : "–");

export default async function SettingsPage() {
  await connection();
  const db = await getDb();
  const now = new Date();
  const [schedules, runs, tokens] = await Promise.all([listSchedules(db), listImportRuns(db, 50), listApiTokens(db)]);
  return (
    <>
      <h1>Settings</h1>
      <section className="card">
        <h2>Scheduled KPI imports</h2>
        <p className="explain">Each schedule fetches a URL (CSV or JSON) or reads a file, and imports it like an upload. Failed runs are retried with backoff.</p>
        <div className="table-wrap">
          <table data-testid="schedules">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Cron</th>
                <th scope="col">Source</th>
                <th scope="col">Next run</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>
                    {s.cron} <span className="muted">{s.timezone}</span>
                  </td>
                  <td>{s.source}</td>
                  <td>{s.enabled ? when(nextRun(s.cron, s.timezone, now)) : "paused"}</td>
                  <td>
                    <form action={runNowAction} style={{ display: "inline" }}>
                      <input type="hidden" name="id" value={s.id} />
                      <button type="submit">Run now</button>
                    </form>{" "}
                    <form action={toggleScheduleAction} style={{ display: "inline" }}>
                      <input type="hidden" name="id" value={s.id} />
                      <input type="hidden" name="enabled" value={String(!s.enabled)} />
                      <button type="submit">{s.enabled ? "Pause" : "Resume"}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>Add a schedule</h3>
        <CreateScheduleForm />
      </section>
      <section className="card">
        <h2>Import runs</h2>
        <div className="table-wrap">
          <table data-testid="runs">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Rows</th>
                <th scope="col">Duration</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <td>{when(r.startedAt)}</td>
                  <td>{r.kind}</td>
                  <td>{r.source}</td>
                  <td>{r.status}</td>
                  <td>{r.counts.points ?? r.counts.items ?? "–"}</td>
                  <td>{r.finishedAt ? `${((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1)} s` : "–"}</td>
                  <td className="muted">{r.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>API tokens</h2>
        <p className="explain">
          For <code>POST /api/kpis/&#123;key&#125;/points</code> with <code>Authorization: Bearer &lt;token&gt;</code>. Only a hash is stored.
        </p>
        <ul className="tokens">
          {tokens.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong> <code>{t.prefix}…</code> <span className="muted">created {when(t.createdAt)}, last used {when(t.lastUsedAt)}</span>{" "}
              {t.revokedAt ? (
                <span className="muted">revoked {when(t.revokedAt)}</span>
              ) : (
                <form action={revokeTokenAction} style={{ display: "inline" }}>
                  <input type="hidden" name="id" value={t.id} />
                  <button type="submit">Revoke</button>
                </form>
              )}
            </li>
          ))}
        </ul>
        <CreateTokenForm />
      </section>
    </>
  );
}
