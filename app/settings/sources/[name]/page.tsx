import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { MappingForm, SourceActionButton } from "@/components/settings/source-forms";
import { nextRun } from "@/lib/jobs/schedules";
import { forPage, pageContext } from "@/lib/services/entries";
import { getSourceDetail } from "@/lib/services/sources";
import { formatRunDuration, formatUtcSecond, timeAgo } from "@/lib/time/format";
import { describeSyncCounts } from "@/lib/views/source-form";
import { removeSourceAction, reviewMappingAction, syncSourceAction, testSourceAction } from "../actions";

export const metadata: Metadata = { title: "Tracker source" };

const CATEGORY_LABEL = { todo: "to do", in_progress: "in progress", done: "done" } as const;

export default async function SourcePage({ params }: { params: Promise<{ name: string }> }) {
  await connection();
  const { name } = await params;
  const ctx = await pageContext(`/settings/sources/${encodeURIComponent(name)}`);
  const { source, team, statuses, unlisted, runs, freshness } = await forPage(getSourceDetail(ctx, name));
  return (
    <>
      <p>
        <Link href="/settings/sources">← Tracker sources</Link>
      </p>
      <h1>{source.name}</h1>
      <section className="card" data-testid="source-summary">
        <h2>Source</h2>
        <dl className="facts">
          <dt>Tracker</dt>
          <dd>{source.kind}</dd>
          <dt>Team</dt>
          <dd>{team ? <Link href={`/teams/${encodeURIComponent(team.key)}`}>{team.name}</Link> : `${source.teamKey} (created by the first sync)`}</dd>
          <dt>Token</dt>
          <dd>
            <code>{source.secretEnv}</code>{" "}
            {source.secretSet ? <span className="muted">set</span> : <span className="form-error">not set on this server</span>}
          </dd>
          <dt>Settings</dt>
          <dd>
            <code>{JSON.stringify(source.settings)}</code>
          </dd>
          <dt>Schedule</dt>
          <dd>{source.cron ? `${source.cron} (${source.timezone}), next ${formatUtcSecond(nextRun(source.cron, source.timezone, ctx.now))}` : "only when asked"}</dd>
          <dt>Data</dt>
          <dd data-testid="source-freshness">{freshness.updatedAt ? `updated ${timeAgo(freshness.updatedAt, ctx.now)}` : "not synced yet"}</dd>
        </dl>
        <div className="card-actions">
          <SourceActionButton act={testSourceAction} source={source.name} button="Test connection" pendingText="Testing…" testId="source-test" />
          <SourceActionButton act={syncSourceAction} source={source.name} button="Sync now" pendingText="Syncing…" testId="source-sync" />
          <SourceActionButton act={syncSourceAction} source={source.name} button="Full sync" pendingText="Syncing…" testId="source-full-sync" fields={{ full: "true" }} />
        </div>
      </section>
      <section className="card">
        <h2>Status mapping</h2>
        <p className="explain">
          Each status the tracker lists, with the category it suggests and the one in use, and how many items are in it now and ever entered it;
          then the statuses only the history still names (no category from the tracker: in progress is proposed). Only a choice that differs
          from the tracker&apos;s is kept; the next sync re-derives the whole history from the stored payloads.
        </p>
        {statuses.length === 0 ? (
          <p className="muted">The tracker&apos;s statuses are read by the first sync.</p>
        ) : (
          <MappingForm
            act={reviewMappingAction}
            source={source.name}
            rows={statuses.map((s) => ({
              id: s.id,
              name: s.workflowName,
              suggested: s.suggested,
              category: s.category,
              blocked: s.mapped?.blocked ?? false,
              discarded: s.mapped?.discarded ?? s.discarded ?? false,
              reviewed: s.mapped !== null,
              listed: s.listed,
              now: s.items.now,
              ever: s.items.ever,
            }))}
          />
        )}
        {unlisted.length > 0 ? (
          <>
            <h3>From elsewhere</h3>
            <p className="explain">Statuses of the team&apos;s workflow this source does not name (e.g. from a file imported into the same team).</p>
            <ul data-testid="unlisted-statuses">
              {unlisted.map((u) => (
                <li key={u.name}>
                  {u.name}: {CATEGORY_LABEL[u.category]} · {u.items.now} now, {u.items.ever} ever
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="card">
        <h2>Sync history</h2>
        <div className="table-wrap">
          <table data-testid="sync-runs">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Counts</th>
                <th scope="col">Duration</th>
                <th scope="col">Reasons and errors</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <td>{formatUtcSecond(r.startedAt)}</td>
                  <td>{r.full ? "full" : "incremental"}</td>
                  <td>{r.status}</td>
                  <td>{r.counts ? describeSyncCounts(r.counts) : "–"}</td>
                  <td>{formatRunDuration(r.startedAt, r.finishedAt)}</td>
                  <td>
                    {r.error ? <p className="form-error">{r.error}</p> : null}
                    {Object.entries(r.reasons ?? {}).map(([reason, n]) => (
                      <p key={reason} className="muted">
                        {n} × {reason}
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
              {runs.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    Never synced.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>Remove</h2>
        <p className="explain">Removes the source, its stored payloads and its sync history. The team and its items stay.</p>
        <SourceActionButton act={removeSourceAction} source={source.name} button="Remove source" pendingText="Removing…" testId="source-remove" />
      </section>
    </>
  );
}
