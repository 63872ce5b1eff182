import Link from "next/link";
import { connection } from "next/server";
import { Sparkline } from "@/components/charts/sparkline";
import { SUMMARY_DAYS } from "@/lib/overview/team-summary";
import { pageContext } from "@/lib/services/entries";
import { getOverview } from "@/lib/services/metrics";

export default async function HomePage() {
  await connection();
  const teams = await getOverview(await pageContext("/"));
  return (
    <>
      <h1>Teams</h1>
      <p className="lede">Work in progress now; throughput and 85th-percentile cycle time over the last {SUMMARY_DAYS} days. Open a team for its full flow dashboard.</p>
      {teams.length === 0 ? (
        <div className="empty" data-testid="empty-state">
          <p>No teams yet.</p>
          <p>
            Load the demo with <code>npx throughline demo</code>, or import your work history with <code>npx throughline import history FILE</code>.
          </p>
        </div>
      ) : (
        <div className="team-grid">
          {teams.map((team) => (
            <section key={team.key} className="team-card" data-testid="team-card" data-team={team.key} aria-labelledby={`team-${team.key}`}>
              <h2 id={`team-${team.key}`}>
                <Link href={`/teams/${encodeURIComponent(team.key)}`}>{team.name}</Link>
              </h2>
              <dl>
                <dt>Work in progress</dt>
                <dd data-testid="wip" className={team.wipLimit !== null && team.wip > team.wipLimit ? "over" : undefined}>
                  {team.wip}
                  {team.wipLimit !== null ? ` / ${team.wipLimit}` : ""}
                </dd>
                <dt>Throughput ({SUMMARY_DAYS} days)</dt>
                <dd data-testid="throughput">{team.throughput}</dd>
                <dt>Cycle time p85</dt>
                <dd data-testid="p85">{team.p85CycleTimeDays === null ? "–" : `${team.p85CycleTimeDays} days`}</dd>
                <dt>Open blockers</dt>
                <dd data-testid="blockers">{team.openBlockers}</dd>
                <dt>Oldest item in progress</dt>
                <dd data-testid="oldest">{team.oldestAgeDays === null ? "–" : `${team.oldestAgeDays} days`}</dd>
              </dl>
              <div className="sparks">
                <div>
                  <span className="muted">Throughput, 12 weeks</span>
                  <Sparkline values={team.weeklyThroughput} label={`${team.name} weekly throughput`} />
                </div>
                <div>
                  <span className="muted">WIP, 30 days</span>
                  <Sparkline values={team.dailyWip} label={`${team.name} daily WIP`} />
                </div>
              </div>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
