import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AddSourceForm } from "@/components/settings/source-forms";
import { nextRun } from "@/lib/jobs/schedules";
import { forPage, pageContext } from "@/lib/services/entries";
import { listSources } from "@/lib/services/sources";
import { formatUtcSecond, timeAgo } from "@/lib/time/format";
import { describeSyncCounts } from "@/lib/views/source-form";
import { addSourceAction } from "./actions";

export const metadata: Metadata = { title: "Tracker sources" };

export default async function SourcesPage() {
  await connection();
  const ctx = await pageContext("/settings/sources");
  const sources = await forPage(listSources(ctx));
  return (
    <>
      <p>
        <Link href="/settings">← Settings</Link>
      </p>
      <h1>Tracker sources</h1>
      <section className="card">
        <h2>Sources</h2>
        <p className="explain">
          Each source syncs one team&apos;s work history from GitHub, Jira or Linear: only what changed since the last sync, with deletions and moves
          out of scope reconciled every time. The token is read from the named environment variable and never stored.
        </p>
        <div className="table-wrap">
          <table data-testid="sources">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tracker</th>
                <th scope="col">Team</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last sync</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s.id} data-source={s.name}>
                  <th scope="row">
                    <Link href={`/settings/sources/${encodeURIComponent(s.name)}`}>{s.name}</Link>
                  </th>
                  <td>{s.kind}</td>
                  <td>
                    <Link href={`/teams/${encodeURIComponent(s.teamKey)}`}>{s.teamKey}</Link>
                  </td>
                  <td>{s.cron ? `${s.cron} ${s.timezone} · next ${formatUtcSecond(nextRun(s.cron, s.timezone, ctx.now))}` : "when asked"}</td>
                  <td data-status={s.lastRun?.status}>
                    {s.lastRun ? (
                      <>
                        {s.lastRun.status} {timeAgo(s.lastRun.finishedAt ?? s.lastRun.startedAt, ctx.now)}
                        {s.lastRun.counts ? <span className="muted"> · {describeSyncCounts(s.lastRun.counts)}</span> : null}
                        {s.lastRun.error ? <span className="form-error"> · {s.lastRun.error}</span> : null}
                      </>
                    ) : (
                      <span className="muted">never synced</span>
                    )}
                  </td>
                </tr>
              ))}
              {sources.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    No sources yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>Add a source</h2>
        <p className="explain">
          Put the tracker&apos;s token in a <code>THROUGHLINE_SECRET_…</code> variable of the server first (the README lists the scopes each
          tracker needs). After adding, test the connection, review the status mapping, then sync.
        </p>
        <AddSourceForm add={addSourceAction} />
      </section>
    </>
  );
}
