import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { CreateScheduleForm, CreateTokenForm, CreateUserForm, InviteForm, RowForm, UserRoleForm } from "@/components/settings/forms";
import { TokenList } from "@/components/settings/token-list";
import { grantableScopes } from "@/lib/auth/permissions";
import { nextRun } from "@/lib/jobs/schedules";
import { listAccounts } from "@/lib/services/accounts";
import { forPage, pageContext } from "@/lib/services/entries";
import { listInvites } from "@/lib/services/invites";
import { getSettingsView } from "@/lib/services/settings";
import { listDigestSubscriptions } from "@/lib/services/digest";
import { listShareLinks } from "@/lib/services/share-links";
import { ShareLinkList } from "@/components/share/share-link-list";
import { revokeShareLinkAction } from "../s/actions";
import { formatRunDuration, formatUtcSecond } from "@/lib/time/format";
import {
  changeUserRoleAction,
  changeUserTeamsAction,
  createInviteAction,
  createScheduleAction,
  createTokenAction,
  createUserAction,
  revokeInviteAction,
  revokeTokenAction,
  runNowAction,
  setDemoAction,
  setUserDisabledAction,
  toggleScheduleAction,
} from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await connection();
  const ctx = await pageContext("/settings");
  const { schedules, runs, tokens, demo } = await forPage(getSettingsView(ctx));
  const [users, invites, links, digests] = await Promise.all([forPage(listAccounts(ctx)), forPage(listInvites(ctx)), forPage(listShareLinks(ctx)), forPage(listDigestSubscriptions(ctx))]);
  const me = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const now = ctx.now;
  return (
    <>
      <h1>Settings</h1>
      <section className="card">
        <h2>Tracker sources</h2>
        <p className="explain">
          GitHub, Jira and Linear projects synced into teams: <Link href="/settings/sources">add a source, test it, review its status mapping, sync and see its history</Link>.
        </p>
      </section>
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
                  <td>{s.enabled ? formatUtcSecond(nextRun(s.cron, s.timezone, now)) : "paused"}</td>
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
                  <td>{formatUtcSecond(r.startedAt)}</td>
                  <td>{r.kind}</td>
                  <td>{r.source}</td>
                  <td>{r.status}</td>
                  <td>{r.counts.points ?? r.counts.items ?? "–"}</td>
                  <td>{formatRunDuration(r.startedAt, r.finishedAt)}</td>
                  <td className="muted">{r.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>Weekly digests</h2>
        <p className="explain">
          Who receives a team&apos;s (or a leader&apos;s) weekly digest, and how its last delivery went. Add and remove them with{" "}
          <code>npx throughline digest subscribe|remove</code>; the page itself is <a href="/digest">/digest</a>.
        </p>
        <div className="table-wrap">
          <table data-testid="digest-subscriptions">
            <thead>
              <tr>
                <th scope="col">Digest</th>
                <th scope="col">To</th>
                <th scope="col">When</th>
                <th scope="col">Last week sent</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {digests.map((d) => (
                <tr key={d.id} data-status={d.lastDelivery?.status ?? "none"}>
                  <td>{d.team ?? `leader ${d.leader ?? "–"}`}</td>
                  <td>{d.channel === "email" ? d.address : `webhook ${d.webhookEnv}`}</td>
                  <td>{`${["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d.weekday - 1]} ${String(d.hour).padStart(2, "0")}:00 ${d.timezone}`}</td>
                  <td>{d.lastDelivery ? `${d.lastDelivery.week}: ${d.lastDelivery.status} after ${d.lastDelivery.attempts} attempt${d.lastDelivery.attempts === 1 ? "" : "s"}` : "–"}</td>
                  <td className="muted">{d.lastDelivery?.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>Share links</h2>
        <p className="explain">Every share link, by whoever made it. Revoking one works at once: the link then answers “expired” (410).</p>
        <ShareLinkList links={links} revoke={revokeShareLinkAction} />
      </section>
      <section className="card">
        <h2>API tokens</h2>
        <p className="explain">
          For the metric API (<code>metrics:read</code>) and <code>POST /api/kpis/&#123;key&#125;/points</code> (<code>kpis:write</code>) with{" "}
          <code>Authorization: Bearer &lt;token&gt;</code>. A token acts for the account that made it, never beyond it. Only a hash is stored.
        </p>
        <TokenList tokens={tokens} revoke={revokeTokenAction} showOwner />
        <CreateTokenForm create={createTokenAction} scopes={grantableScopes("admin")} />
      </section>
      <section className="card">
        <h2>Users</h2>
        <p className="explain">
          Admins see every team and change settings; members see their teams, annotate and share; viewers see their teams. A change counts at the
          user&apos;s next request; a disabled user is signed out and their tokens stop working.
        </p>
        <div className="table-wrap">
          <table data-testid="users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Teams</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-email={u.email} data-disabled={u.disabledAt ? "true" : undefined}>
                  <th scope="row">
                    {u.name}
                    {u.id === me ? <span className="muted"> (you)</span> : null}
                  </th>
                  <td>{u.email}</td>
                  <td>
                    <UserRoleForm act={changeUserRoleAction} userId={u.id} role={u.role} name={u.name} />
                  </td>
                  <td>
                    <RowForm act={changeUserTeamsAction} label={`Teams of ${u.name}`} button="Save" testId="user-teams">
                      <input type="hidden" name="id" value={u.id} />
                      <input name="teams" aria-label="Teams" defaultValue={u.teams === "all" ? "all" : u.teams.join(",")} placeholder="all, or payments,growth" />
                      {u.role === "admin" ? <span className="muted">admins see every team</span> : null}
                    </RowForm>
                  </td>
                  <td>
                    {u.id === me ? (
                      <span className="muted">active</span>
                    ) : (
                      <RowForm act={setUserDisabledAction} label={`${u.disabledAt ? "Enable" : "Disable"} ${u.name}`} button={u.disabledAt ? "Enable" : "Disable"} testId="user-state">
                        <input type="hidden" name="id" value={u.id} />
                        <input type="hidden" name="disabled" value={String(!u.disabledAt)} />
                        <span className="muted">{u.disabledAt ? `disabled ${formatUtcSecond(u.disabledAt)}` : "active"}</span>
                      </RowForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>Invite someone</h3>
        <p className="explain">
          An invite is a link (no mail is sent): whoever opens it picks a name and password and gets the account, with this email, role and teams. It
          works once, for 7 days.
        </p>
        <InviteForm invite={createInviteAction} />
        {invites.length ? (
          <ul className="invites" data-testid="invites">
            {invites.map((i) => (
              <li key={i.id} data-email={i.email}>
                <strong>{i.email}</strong>{" "}
                <span className="muted">
                  {i.role} · {i.teams === "all" ? "every team" : i.teams.join(", ") || "no team"} · by {i.createdBy ?? "the system"} · expires {formatUtcSecond(i.expiresAt)}
                </span>{" "}
                <form action={revokeInviteAction} style={{ display: "inline" }}>
                  <input type="hidden" name="id" value={i.id} />
                  <button type="submit">Revoke</button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted" data-testid="invites">
            No open invites.
          </p>
        )}
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
