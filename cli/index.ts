// throughline — the command line. Every command goes through the same services as the app, as the system actor.
import fs from "node:fs";
import path from "node:path";
import { Argument, Command, CommanderError, Option } from "commander";
import { ZodError } from "zod";
import { openDatabase } from "../lib/db/client";
import { env } from "../lib/env";
import { AppError, invalidInput } from "../lib/errors";
import { assertReadableFile, openHistoryFile } from "../lib/ingest/files";
import { readKpiCsv, readKpiJson } from "../lib/ingest/kpi";
import { startScheduler } from "../lib/jobs/scheduler";
import { FLOW_METRICS, type FlowMetric } from "../lib/metrics/params";
import { createUser } from "../lib/services/accounts";
import { createDigestSubscription, deliveryOptionsFromEnv, listDigestSubscriptions, removeDigestSubscription, sendDigestNow } from "../lib/services/digest";
import type { ServiceContext } from "../lib/services/context";
import { systemContext } from "../lib/services/entries-cli";
import { buildMissingFacts, importKpiBatch, importWorkHistory, loadDemoData, loadDemoIfEmpty } from "../lib/services/imports";
import { getForecast, getTeamMetric } from "../lib/services/metrics";
import { getMilestoneImpact } from "../lib/services/outcomes";
import { createSchedule, listImportSchedules, runScheduleHere } from "../lib/services/settings";
import { createShareLink, listShareLinks, revokeShareLink, SHARE_CHARTS } from "../lib/services/share-links";
import { addSource, listSources, listSourceStatuses, listSourceSyncs, removeSource, setSourceMapping, syncSourceNow, testSource } from "../lib/services/sources";
import { listVisibleTeams } from "../lib/services/teams";
import { describeSyncCounts } from "../lib/views/source-form";
import { formatForecast, formatImpact, formatMetric, table } from "./format";

/** A sync's counts per layer, in the order the data passes them. */
const countsLine = describeSyncCounts;

const list = (value: string) => value.split(",").map((s) => s.trim()).filter(Boolean);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The CLI acts as the system actor, through the same services as the app. */
async function withContext<T>(fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: env().DATABASE_URL, max: 2 });
  // Said once, on stderr: while this runs, the app waits for each of its transactions.
  if (database.socket) process.stderr.write("throughline: using the running app's embedded database\n");
  try {
    return await fn(systemContext(database));
  } finally {
    await database.close();
  }
}

function print(value: unknown, json: boolean, text: () => string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

export function buildProgram(): Command {
  const program = new Command("throughline")
    .description("Throughline: engineering flow and business outcomes, from your trackers and KPIs.")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  const importCmd = program.command("import").description("import work history or KPI points");

  importCmd
    .command("history")
    .description("import a work-history document (JSON, NDJSON) or a flow CSV")
    .argument("<file>", "a .json, .ndjson or .csv file")
    .option("--team <key>", "team key (flow CSV)")
    .option("--team-name <name>", "team name (flow CSV)")
    .option("--timezone <tz>", "the team's IANA timezone (flow CSV)", "UTC")
    .option("--todo <statuses>", "comma-separated todo statuses (flow CSV)", list)
    .option("--in-progress <statuses>", "comma-separated in-progress statuses (flow CSV)", list)
    .option("--done <statuses>", "comma-separated done statuses (flow CSV)", list)
    .option("--blocked <statuses>", "comma-separated statuses that count as blocked (flow CSV)", list)
    .option("--discarded <statuses>", "comma-separated done statuses that mean not delivered (flow CSV)", list)
    .addOption(new Option("--format <format>", "override the format guessed from the file name").choices(["json", "ndjson", "csv"]))
    .option("--json", "print the import summary as JSON")
    .action(async (file: string, o) => {
      const csv = o.team
        ? { team: o.team, teamName: o.teamName, timezone: o.timezone, todo: o.todo, inProgress: o.inProgress, done: o.done, blocked: o.blocked, discarded: o.discarded }
        : undefined;
      const summary = await withContext(async (ctx) => importWorkHistory(ctx, await openHistoryFile(file, { format: o.format, csv })));
      const c = summary.counts;
      print(summary, Boolean(o.json), () =>
        `Imported ${c.items} items into team "${summary.team}": ${c.created} new, ${c.updated} changed, ${c.unchanged} unchanged; ` +
        `${c.transitions} transitions and ${c.blocks} blocks written` +
        (c.rederived ? `; ${c.rederived} earlier items re-derived for the new workflow` : "") +
        (c.skipped ? `; skipped ${Object.entries(summary.skipped).map(([why, n]) => `${n} (${why})`).join(", ")}` : "") +
        ".",
      );
    });

  importCmd
    .command("kpi")
    .description("import KPI points from a CSV (kpi,date,value[,segment]) or a JSON document")
    .argument("<file>", "a .csv or .json file")
    .addOption(new Option("--aggregation <agg>", "aggregation of KPIs the CSV creates").choices(["sum", "last", "avg"]).default("sum"))
    .option("--name <name>", "name of a KPI the CSV creates")
    .option("--unit <unit>", "unit of a KPI the CSV creates")
    .option("--json", "print the import summary as JSON")
    .action(async (file: string, o) => {
      assertReadableFile(file);
      const name = path.basename(file);
      const batch = file.toLowerCase().endsWith(".json")
        ? readKpiJson(name, fs.readFileSync(file, "utf8"))
        : await readKpiCsv(name, fs.createReadStream(file), { aggregation: o.aggregation, name: o.name, unit: o.unit });
      const summary = await withContext((ctx) => importKpiBatch(ctx, batch));
      print(summary, Boolean(o.json), () => `Imported ${summary.counts.points} points for ${summary.counts.kpis} KPI(s): ${summary.counts.changed} new or changed, ${summary.counts.unchanged} unchanged.`);
    });

  program
    .command("metrics")
    .description("compute a flow metric for a team")
    .addArgument(new Argument("<metric>", "the metric").choices([...FLOW_METRICS, "milestone-impact", "forecast"]))
    .requiredOption("--team <key>", "team key")
    .option("--kpi <key>", "KPI key (milestone-impact)")
    .option("--window <days>", "days before and after each ship date (milestone-impact)", "28")
    .option("--items <k>", "forecast: when will K more items be done")
    .option("--milestone <key>", "forecast: when will this milestone's open items be done")
    .option("--by <date>", "forecast: how many items will be done by this date, YYYY-MM-DD")
    .option("--history-days <n>", "forecast: days of throughput to sample (default 30)")
    .option("--seed <n>", "forecast: random seed, for a reproducible run")
    .option("--from <date>", "first date of the window, YYYY-MM-DD (default: 90 days before --to)")
    .option("--to <date>", "last date of the window, YYYY-MM-DD (default: the date of --as-of)")
    .option("--as-of <instant>", "compute as of this instant, e.g. 2026-03-01T12:00:00Z (default: now)")
    .option("--type <type>", "only items of this type")
    .option("--json", "print the spec's JSON output")
    .action(async (metric: FlowMetric | "milestone-impact" | "forecast", o) => {
      if (metric === "forecast") {
        const input = { team: o.team, items: o.items, milestone: o.milestone, by: o.by, history_days: o.historyDays, seed: o.seed, as_of: o.asOf };
        const forecast = await withContext((ctx) => getForecast(ctx, input));
        print(forecast, Boolean(o.json), () => formatForecast(forecast));
        return;
      }
      if (metric === "milestone-impact") {
        const impact = await withContext((ctx) => getMilestoneImpact(ctx, { team: o.team, kpi: o.kpi, window: o.window, as_of: o.asOf }));
        print(impact, Boolean(o.json), () => formatImpact(impact));
        return;
      }
      const result = await withContext((ctx) => getTeamMetric(ctx, { metric, team: o.team, from: o.from, to: o.to, as_of: o.asOf, type: o.type }));
      print(result, Boolean(o.json), () => formatMetric(metric, result));
    });

  program
    .command("teams")
    .description("list teams")
    .option("--json", "print JSON")
    .action(async (o) => {
      const teams = await withContext((ctx) => listVisibleTeams(ctx));
      print(
        teams.map((t) => ({ key: t.key, name: t.name, timezone: t.timezone, wip_limit: t.wipLimit })),
        Boolean(o.json),
        () => (teams.length ? table(["key", "name", "timezone", "wip limit"], teams.map((t) => [t.key, t.name, t.timezone, t.wipLimit])) : "No teams yet: run `throughline demo` or import a work history."),
      );
    });

  program
    .command("demo")
    .description("load the demo data set (3 teams, 12 months, 4 KPIs)")
    .option("--seed <n>", "random seed", "42")
    .action(async (o) => {
      const summary = await withContext((ctx) => loadDemoData(ctx, Number(o.seed)));
      process.stdout.write(`Loaded the demo: ${summary.items} items in ${summary.teams} teams, ${summary.kpiPoints} KPI points.\n`);
    });

  program
    .command("prepare")
    .description("apply migrations; on an empty database, load the demo")
    .action(async () => {
      const summary = await withContext((ctx) => loadDemoIfEmpty(ctx, 42));
      if (summary) process.stdout.write(`Empty database: loaded the demo (${summary.items} items in ${summary.teams} teams).\n`);
      else await reportBuiltFacts(await withContext((ctx) => buildMissingFacts(ctx)));
    });

  const scheduleCmd = program.command("schedule").description("scheduled KPI imports");
  scheduleCmd
    .command("add")
    .description("add an import schedule (a URL returning CSV or JSON, or a file)")
    .requiredOption("--name <name>", "a name for the schedule")
    .requiredOption("--cron <expr>", 'cron expression, e.g. "0 6 * * *" for 06:00 daily')
    .option("--timezone <tz>", "timezone of the cron expression", "UTC")
    .option("--url <url>", "fetch this URL")
    .option("--file <path>", "read this file (in the import folder, THROUGHLINE_IMPORT_DIR)")
    .option("--auth-env <NAME>", "a THROUGHLINE_SECRET_* environment variable holding the Authorization header value")
    .addOption(new Option("--aggregation <agg>", "aggregation of KPIs a CSV creates").choices(["sum", "last", "avg"]).default("sum"))
    .action(async (o) => {
      const created = await withContext((ctx) =>
        createSchedule(ctx, { name: o.name, cron: o.cron, timezone: o.timezone, url: o.url, file: o.file, authEnv: o.authEnv, aggregation: o.aggregation }),
      );
      process.stdout.write(`Added schedule ${created.id} "${created.name}" (${created.cron}, ${created.timezone}).\n`);
    });
  scheduleCmd
    .command("list")
    .description("list import schedules")
    .action(async () => {
      const rows = await withContext((ctx) => listImportSchedules(ctx));
      process.stdout.write(`${table(["id", "name", "cron", "timezone", "source", "enabled"], rows.map((r) => [r.id, r.name, r.cron, r.timezone, r.source, r.enabled]))}\n`);
    });
  scheduleCmd
    .command("run")
    .description("run a schedule now, here, once (no retries)")
    .argument("<id>", "schedule id")
    .action(async (id: string) => {
      const scheduleId = Number(id);
      if (!Number.isInteger(scheduleId) || scheduleId <= 0) throw new AppError("INVALID_INPUT", `schedule id must be a number (see \`throughline schedule list\`), not "${id}"`);
      const summary = await withContext((ctx) => runScheduleHere(ctx, scheduleId));
      process.stdout.write(`Imported ${summary.counts.points} points: ${summary.counts.changed} new or changed.\n`);
    });

  program
    .command("worker")
    .description("run scheduled imports until stopped (on Postgres, any number of workers share the work)")
    .action(async () => {
      const database = await openDatabase({ url: env().DATABASE_URL, max: 4 });
      if (database.socket) {
        // pg-boss on PGlite needs the engine in-process, and a worker would hold the app's one
        // guest connection for good; the app's own scheduler already runs these jobs.
        await database.close();
        throw new AppError("DATABASE_BUSY", "The running app holds the embedded database and its own scheduler runs the scheduled imports (unless THROUGHLINE_SCHEDULER=off): `throughline worker` needs Postgres (DATABASE_URL), or the app stopped.");
      }
      const scheduler = await startScheduler(database);
      process.stdout.write(`Worker started on ${database.engine}; ${(await listImportSchedules(systemContext(database))).length} schedule(s). Ctrl-C stops it.\n`);
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await scheduler.stop();
      await database.close();
    });

  const sourceCmd = program.command("source").description("tracker sources (GitHub, Jira, Linear) synced into a team");
  sourceCmd
    .command("add")
    .description("add a source; its token stays in a THROUGHLINE_SECRET_* variable, never in the database")
    .requiredOption("--name <name>", "a name for the source, e.g. payments-jira")
    .addOption(new Option("--kind <kind>", "the tracker").choices(["github", "jira", "linear"]).makeOptionMandatory())
    .requiredOption("--team <key>", "the Throughline team its items go to")
    .requiredOption("--secret-env <NAME>", "the THROUGHLINE_SECRET_* variable holding the API token (Jira) or key (Linear)")
    .option("--cron <expr>", 'sync by itself on this schedule, e.g. "*/30 * * * *" (otherwise only `throughline sync`)')
    .option("--timezone <tz>", "timezone of the cron expression", "UTC")
    .option(
      "--set <key=value...>",
      "a connector setting, repeatable; a dotted key sets a nested one: github owner, repo, baseUrl, inProgress.label, inProgress.assignment, project.owner, project.number, project.field; jira siteUrl, email, jql, milestones; linear teamKey, apiUrl, milestones",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .action(async (o) => {
      // `project.number=7` nests; values stay text, and the connector's schema checks every key and value by name.
      const settings: Record<string, unknown> = {};
      for (const pair of o.set as string[]) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new AppError("INVALID_INPUT", `--set ${pair}: write it as key=value`);
        const keys = pair.slice(0, at).split(".");
        if (keys.some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || k === "__proto__")) throw new AppError("INVALID_INPUT", `--set ${pair}: a key is names joined by dots, e.g. project.number`);
        let into = settings;
        for (const [i, k] of keys.slice(0, -1).entries()) {
          const next = Object.hasOwn(into, k) ? into[k] : (into[k] = {});
          if (typeof next !== "object" || next === null) throw new AppError("INVALID_INPUT", `--set ${pair}: ${keys.slice(0, i + 1).join(".")} is set to a value already`);
          into = next as Record<string, unknown>;
        }
        const last = keys.at(-1)!;
        if (typeof into[last] === "object") throw new AppError("INVALID_INPUT", `--set ${pair}: ${keys.join(".")} holds nested settings already`);
        into[last] = pair.slice(at + 1);
      }
      const created = await withContext((ctx) => addSource(ctx, { name: o.name, kind: o.kind, team: o.team, secretEnv: o.secretEnv, settings, cron: o.cron, timezone: o.timezone }));
      process.stdout.write(`Added source "${created.name}" (${created.kind} → team ${created.teamKey}). Run \`throughline sync ${created.name}\` to fetch it.\n`);
    });
  sourceCmd
    .command("list")
    .description("list sources with their last sync")
    .option("--json", "print JSON")
    .action(async (o) => {
      const rows = await withContext((ctx) => listSources(ctx));
      print(rows, Boolean(o.json), () =>
        table(
          ["name", "kind", "team", "last synced", "last run", "counts"],
          rows.map((r) => [r.name, r.kind, r.teamKey, r.lastSyncedAt?.toISOString() ?? "never", r.lastRun ? `${r.lastRun.status}${r.lastRun.error ? `: ${r.lastRun.error}` : ""}` : "–", r.lastRun?.counts ? countsLine(r.lastRun.counts) : "–"]),
        ),
      );
    });
  sourceCmd
    .command("test")
    .description("one authenticated call: what the credentials can see")
    .argument("<name>")
    .action(async (name: string) => {
      const result = await withContext((ctx) => testSource(ctx, name));
      process.stdout.write(`${result.description}\n`);
    });
  sourceCmd
    .command("history")
    .description("the source's recent syncs with their counts and reasons")
    .argument("<name>")
    .option("--json", "print JSON")
    .action(async (name: string, o) => {
      const runs = await withContext((ctx) => listSourceSyncs(ctx, name));
      print(runs, Boolean(o.json), () =>
        runs
          .map((r) => [`#${r.id} ${r.startedAt.toISOString()} ${r.full ? "full" : "incremental"} ${r.status}${r.error ? `: ${r.error}` : ""}`, r.counts ? `  ${countsLine(r.counts)}` : "", ...Object.entries(r.reasons ?? {}).map(([k, n]) => `  ${n} × ${k}`)].filter(Boolean).join("\n"))
          .join("\n"),
      );
    });
  sourceCmd
    .command("statuses")
    .description("the tracker's statuses (as of the last sync) with their categories: suggested and in use")
    .argument("<name>")
    .option("--json", "print JSON")
    .action(async (name: string, o) => {
      const rows = await withContext((ctx) => listSourceStatuses(ctx, name));
      print(rows, Boolean(o.json), () => table(["id", "name", "tracker's category", "in use"], rows.map((r) => [r.id, r.name, r.suggested ?? "–", `${r.category ?? "–"}${r.mapped?.blocked ? ", blocked" : ""}${r.mapped?.discarded ? ", discarded" : ""}`])));
    });
  sourceCmd
    .command("map")
    .description("map tracker statuses to categories, e.g. `source map payments-jira 10002=in_progress 10005=done:discarded 3=in_progress:blocked`; the next sync applies it without refetching")
    .argument("<name>")
    .argument("<status=category...>", "status id = todo | in_progress | done, optionally :blocked or :discarded")
    .action(async (name: string, pairs: string[]) => {
      const changes: Record<string, { category: string; blocked?: boolean; discarded?: boolean }> = {};
      for (const pair of pairs) {
        const m = /^([^=]+)=(todo|in_progress|done)((?::blocked|:discarded)*)$/.exec(pair);
        if (!m) throw new AppError("INVALID_INPUT", `${pair}: write it as STATUS_ID=todo|in_progress|done, optionally followed by :blocked or :discarded`);
        changes[m[1]!] = { category: m[2]!, ...(m[3]!.includes(":blocked") ? { blocked: true } : {}), ...(m[3]!.includes(":discarded") ? { discarded: true } : {}) };
      }
      await withContext((ctx) => setSourceMapping(ctx, name, changes));
      process.stdout.write(`Mapped ${pairs.length} status(es) of ${name}; run \`throughline sync ${name}\` to apply.\n`);
    });
  sourceCmd
    .command("remove")
    .description("remove a source and its stored payloads (the team's items stay)")
    .argument("<name>")
    .action(async (name: string) => {
      await withContext((ctx) => removeSource(ctx, name));
      process.stdout.write(`Removed source "${name}".\n`);
    });
  program
    .command("sync")
    .description("sync a source now: only what changed since the last sync, or everything with --full")
    .argument("<source>", "the source's name (see `throughline source list`)")
    .option("--full", "fetch everything again")
    .option("--json", "print JSON")
    .action(async (name: string, o) => {
      const progress = process.stderr.isTTY ? (c: { fetched: number }) => process.stderr.write(`\rfetched ${c.fetched} items…`) : undefined;
      const summary = await withContext((ctx) => syncSourceNow(ctx, name, { full: Boolean(o.full), onProgress: progress }));
      if (progress) process.stderr.write("\n");
      print(summary, Boolean(o.json), () => [`Synced ${name}: ${countsLine(summary.counts)}`, ...Object.entries(summary.reasons).map(([k, n]) => `  ${n} × ${k}`)].join("\n"));
    });

  const shareCmd = program.command("share").description("share links: one view, opened without an account");
  shareCmd
    .command("create")
    .description("make a share link (printed once)")
    .requiredOption("--team <key>", "team key")
    .addOption(new Option("--chart <chart>", "share one chart").choices([...SHARE_CHARTS]))
    .option("--outcomes", "share the outcomes view (with --kpi)")
    .option("--kpi <key>", "the KPI of an outcomes view")
    .option("--from <date>", "first date of a fixed window")
    .option("--to <date>", "last date of a fixed window")
    .option("--as-of <instant>", "the instant a fixed view is frozen at (default: now)")
    .option("--rolling <days>", "keep the view to the last N days at each visit instead of freezing it")
    .option("--expires-in <days>", "days until the link stops working (default: never)")
    .action(async (o) => {
      const view: Record<string, string> = {};
      for (const [k, v] of [["from", o.from], ["to", o.to], ["as_of", o.asOf], ["kpi", o.kpi]] as const) if (v) view[k] = v;
      const kind = o.outcomes ? "outcomes" : o.chart ? "chart" : "dashboard";
      const link = await withContext((ctx) =>
        createShareLink(ctx, { team: o.team, kind, chart: o.chart, view, window: o.rolling ? "rolling" : "fixed", rolling_days: o.rolling, expires_in_days: o.expiresIn }),
      );
      process.stdout.write(`${link.path}\n`);
    });
  shareCmd
    .command("list")
    .description("list share links")
    .action(async () => {
      const links = await withContext((ctx) => listShareLinks(ctx));
      process.stdout.write(`${table(["id", "view", "window", "state", "views"], links.map((l) => [l.id, l.what, l.window, l.state, l.views]))}\n`);
    });
  shareCmd
    .command("revoke")
    .description("revoke a share link: it answers 410 from the next request on")
    .argument("<id>", "link id (see `throughline share list`)")
    .action(async (id: string) => {
      const linkId = Number(id);
      if (!Number.isInteger(linkId) || linkId <= 0) throw new AppError("INVALID_INPUT", `link id must be a number (see \`throughline share list\`), not "${id}"`);
      await withContext((ctx) => revokeShareLink(ctx, linkId));
      process.stdout.write(`Revoked share link ${linkId}.\n`);
    });

  // Weekly digests: who receives them, and sending one now (the scheduler's own delivery path).
  const digestCmd = program.command("digest").description("weekly digests by email and webhook");
  digestCmd
    .command("subscribe")
    .description("send a team's digest (or a leader's, of every team they see) every week")
    .option("--team <key>", "the team")
    .option("--leader <email>", "a user whose digest holds every team they may see")
    .option("--email <address>", "mail it to this address")
    .option("--webhook-env <name>", "post it to the URL in this THROUGHLINE_SECRET_* variable (Slack-compatible)")
    .option("--weekday <day>", "mon … sun, or 1–7", "mon")
    .option("--hour <hour>", "0–23, in --timezone", "9")
    .option("--timezone <tz>", "the recipient's IANA timezone", "UTC")
    .action(async (o) => {
      const channel = o.webhookEnv ? "webhook" : "email";
      const sub = await withContext((ctx) =>
        createDigestSubscription(ctx, { team: o.team, leader: o.leader, channel, address: o.email, webhook_env: o.webhookEnv, weekday: o.weekday, hour: o.hour, timezone: o.timezone }),
      );
      process.stdout.write(`Added digest subscription ${sub.id}.\n`);
    });
  digestCmd
    .command("list")
    .description("list digest subscriptions and their last delivery")
    .action(async () => {
      const subs = await withContext((ctx) => listDigestSubscriptions(ctx));
      const when = (s: (typeof subs)[number]) => `${["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][s.weekday - 1]} ${String(s.hour).padStart(2, "0")}:00 ${s.timezone}`;
      const last = (s: (typeof subs)[number]) => (s.lastDelivery ? `${s.lastDelivery.week} ${s.lastDelivery.status} (${s.lastDelivery.attempts})${s.lastDelivery.lastError ? `: ${s.lastDelivery.lastError}` : ""}` : null);
      process.stdout.write(`${table(["id", "digest", "to", "when", "last delivery"], subs.map((s) => [s.id, s.team ?? `leader ${s.leader}`, s.channel === "email" ? s.address : `webhook ${s.webhookEnv}`, when(s), last(s)]))}\n`);
    });
  digestCmd
    .command("remove")
    .description("remove a digest subscription")
    .argument("<id>", "subscription id (see `throughline digest list`)")
    .action(async (id: string) => {
      const subId = Number(id);
      if (!Number.isInteger(subId) || subId <= 0) throw new AppError("INVALID_INPUT", `subscription id must be a number (see \`throughline digest list\`), not "${id}"`);
      await withContext((ctx) => removeDigestSubscription(ctx, subId));
      process.stdout.write(`Removed digest subscription ${subId}.\n`);
    });
  digestCmd
    .command("send")
    .description("send a week's digest now to a team's subscriptions (a week already sent is not sent again)")
    .option("--team <key>", "only this team's subscriptions (default: every subscription)")
    .option("--week <date>", "the week's Monday, YYYY-MM-DD (default: the last complete week)")
    .option("--dry-run", "print the digest instead of sending it")
    .action(async (o) => {
      const result = await withContext((ctx) => sendDigestNow(ctx, { team: o.team, week: o.week, dryRun: o.dryRun }, deliveryOptionsFromEnv()));
      if (result.text !== null) return void process.stdout.write(result.text);
      for (const r of result.results) process.stdout.write(`subscription ${r.id}: ${r.outcome}${r.error ? `: ${r.error}` : ""}\n`);
      if (result.results.length === 0) process.stdout.write(`No subscription to send the week of ${result.week} to.\n`);
      const failed = result.results.filter((r) => r.outcome === "failed").length;
      if (failed > 0) throw new AppError("SOURCE_FAILED", `${failed} of ${result.results.length} digests could not be delivered`);
    });

  const userCmd = program.command("user").description("accounts");
  userCmd
    .command("add")
    .description("add an account (a password is read from standard input, so it is in no shell history)")
    .requiredOption("--email <email>", "email address (the sign-in name)")
    .requiredOption("--name <name>", "the person's name")
    .addOption(new Option("--role <role>", "what the account may do").choices(["admin", "member", "viewer"]).default("viewer"))
    .option("--teams <keys>", "comma-separated team keys it is limited to (default: every team)", list)
    .option("--password-stdin", "read a password from standard input (else: GitHub or SSO sign-in only)")
    .action(async (o) => {
      const password = o.passwordStdin ? (await readStdin()).replace(/\r?\n$/, "") : undefined;
      const user = await withContext((ctx) => createUser(ctx, { email: o.email, name: o.name, role: o.role, teams: o.teams, password }));
      process.stdout.write(`Added ${user.role} ${user.email} (${typeof user.teams === "string" ? "every team" : user.teams.join(", ")}).\n`);
    });

  program
    .command("migrate")
    .description("apply pending database migrations")
    .action(async () => {
      await reportBuiltFacts(await withContext((ctx) => buildMissingFacts(ctx)));
      process.stdout.write("Database is up to date.\n");
    });

  return program;
}

async function reportBuiltFacts(teams: string[]) {
  if (teams.length > 0) process.stdout.write(`Built the metric facts (day-level, blocked time) of ${teams.length} team${teams.length === 1 ? "" : "s"}: ${teams.join(", ")}.\n`);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const appError = error instanceof ZodError ? invalidInput(error) : error;
    if (appError instanceof AppError) {
      process.stderr.write(`throughline: ${appError.message}\n`);
      return 1;
    }
    // Not the user's fault: keep the trace, it is what a bug report needs.
    process.stderr.write(`throughline: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
