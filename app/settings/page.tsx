import type { Metadata } from "next";
import { connection } from "next/server";
import { CreateScheduleForm, CreateTokenForm, CreateUserForm } from "@/components/settings/forms";
import { grantableScopes } from "@/lib/auth/permissions";
import { nextRun } from "@/lib/jobs/schedules";
import { forPage, pageContext } from "@/lib/services/entries";
import { getSettingsView } from "@/lib/services/settings";
import { createScheduleAction, createTokenAction, createUserAction, revokeTokenAction, runNowAction, setDemoAction, toggleScheduleAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

const when = (d: Date | null) => (d ? d.toISOString().replace(".000Z", "Z").replace("T", " ") : "–");

export default async function SettingsPage() {
  await connection();
  const ctx = await pageContext("/settings");
  const { schedules, runs, tokens, users, demo } = await forPage(getSettingsView(ctx));
  const now = ctx.now;
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
        <CreateScheduleForm create={createScheduleAction} />
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
          For the metric API (<code>metrics:read</code>) and <code>POST /api/kpis/&#123;key&#125;/points</code> (<code>kpis:write</code>) with{" "}
          <code>Authorization: Bearer &lt;token&gt;</code>. A token acts for the account that made it, never beyond it. Only a hash is stored.
        </p>
        <ul className="tokens">
          {tokens.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong> <code>{t.prefix}…</code> <span className="muted">{t.scopes.join(", ") || "no scopes"} · {t.owner ?? "no owner (made before accounts; no longer works)"} · created {when(t.createdAt)}, last used {when(t.lastUsedAt)}</span>{" "}
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
        <CreateTokenForm create={createTokenAction} scopes={grantableScopes("admin")} />
      </section>
      <section className="card">
        <h2>Users</h2>
        <p className="explain">Admins see every team and change settings; members see their teams, annotate and share; viewers see their teams.</p>
        <div className="table-wrap">
          <table data-testid="users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Teams</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.name}</th>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.role === "admin" || u.allTeams ? "all" : "listed"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>Add a user</h3>
        <CreateUserForm create={createUserAction} />
        <h3>Explore the demo</h3>
        <form action={setDemoAction} className="inline-form">
          <input type="hidden" name="offered" value={String(!demo)} />
          <span data-testid="demo-state">{demo ? "The sign-in page offers a read-only demo visit." : "The sign-in page offers no demo visit."}</span>{" "}
          <button type="submit">{demo ? "Turn the demo off" : "Offer the demo"}</button>
        </form>
      </section>
    </>
  );
}
