// Tracker sources and their syncs: admins (and the CLI's system actor) only.
import "server-only";
import { z } from "zod";
import { canAdminister } from "../auth/permissions";
import { trackerFor, TRACKER_KINDS } from "../connectors";
import { GitHubConfigInput, parseGitHubConfig } from "../connectors/github";
import { JiraConfigInput, parseJiraConfig } from "../connectors/jira";
import { LinearConfig } from "../connectors/linear";
import { countItemsByStatus } from "../db/queries/items";
import { deleteSource, getSourceByName, getTeamFreshness, insertSource, listSources as listSourceRows, listSyncRuns, updateSource } from "../db/queries/sources";
import { getTeamByKey, listWorkflowStatuses } from "../db/queries/teams";
import { SECRET_NAME, secretFromEnv } from "../env";
import { AppError, detailsFromZod, invalidInput } from "../errors";
import { syncSource, type SyncOptions } from "../ingest/sync";
import { workflowNames } from "../ingest/sync-document";
import { runningAppScheduler } from "../jobs/app-scheduler";
import { isValidCron } from "../jobs/schedules";
import { isValidTimeZone } from "../time/calendar";
import { allow, type ServiceContext } from "./context";

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, { error: "may hold letters, digits, '_', '.' and '-' only" });

export const SourceInput = z.object({
  name: Name,
  kind: z.enum(TRACKER_KINDS, { error: `must be one of ${TRACKER_KINDS.join(", ")}` }),
  team: Name,
  secretEnv: z.string().regex(SECRET_NAME, { error: "must be the name of a THROUGHLINE_SECRET_… variable holding the tracker's token" }),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Syncs by itself on this schedule (e.g. every 30 minutes: "*\/30 * * * *"); absent: only when asked. */
  cron: z.string().trim().refine(isValidCron, { error: 'not a cron expression, e.g. "*/30 * * * *"' }).optional(),
  timezone: z.string().default("UTC").refine(isValidTimeZone, { error: "not an IANA timezone" }),
});
export type SourceInput = z.input<typeof SourceInput>;

/** The settings a kind needs, checked now (with a stand-in credential) so a typo fails here, not at 3 a.m. */
function checkSettings(kind: (typeof TRACKER_KINDS)[number], settings: Record<string, unknown>) {
  for (const secret of ["apiToken", "apiKey", "token", "password"]) {
    if (secret in settings) throw new AppError("INVALID_INPUT", `settings.${secret}: credentials are never stored; put it in the THROUGHLINE_SECRET_… variable named by secretEnv`, [{ where: `settings.${secret}`, message: "not stored" }]);
  }
  // The kinds' settings objects let unknown keys pass (a connector reads only its own), so a typo
  // ("projet.number") would be dropped silently: refused here, by name. `timezone` is the new
  // team's, read by the sync.
  const shape = kind === "jira" ? JiraConfigInput.shape : kind === "github" ? GitHubConfigInput.in.shape : LinearConfig.shape;
  const known = new Set([...Object.keys(shape), "timezone"].filter((k) => !["apiToken", "apiKey", "token"].includes(k)));
  for (const key of Object.keys(settings)) {
    if (!known.has(key)) {
      throw new AppError("INVALID_INPUT", `settings.${key}: not a ${kind} setting (known: ${[...known].sort().join(", ")})`, [{ where: `settings.${key}`, message: "unknown setting" }]);
    }
  }
  if (settings.timezone !== undefined && (typeof settings.timezone !== "string" || !isValidTimeZone(settings.timezone))) {
    throw new AppError("INVALID_INPUT", "settings.timezone: not an IANA timezone", [{ where: "settings.timezone", message: "not an IANA timezone" }]);
  }
  const probe =
    kind === "jira" ? () => parseJiraConfig({ ...settings, apiToken: "x" }) : kind === "github" ? () => parseGitHubConfig({ ...settings, token: "x" }) : () => LinearConfig.parse({ ...settings, apiKey: "x" });
  try {
    probe();
  } catch (error) {
    if (error instanceof z.ZodError) throw invalidInput(error);
    throw error;
  }
}

export async function addSource(ctx: ServiceContext, input: SourceInput) {
  allow(canAdminister(ctx.actor));
  const parsed = SourceInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const s = parsed.data;
  checkSettings(s.kind, s.settings);
  if (await getSourceByName(ctx.db, s.name)) throw new AppError("INVALID_INPUT", `name: a source called ${s.name} exists already`, [{ where: "name", message: "taken" }]);
  const created = await insertSource(ctx.db, { name: s.name, kind: s.kind, teamKey: s.team, settings: s.settings, secretEnv: s.secretEnv, cron: s.cron ?? null, timezone: s.timezone });
  await (await runningAppScheduler())?.sync();
  return created;
}

export async function listSources(ctx: ServiceContext) {
  allow(canAdminister(ctx.actor));
  const rows = await listSourceRows(ctx.db);
  return Promise.all(rows.map(async (r) => ({ ...r, lastRun: (await listSyncRuns(ctx.db, r.id, 1))[0] ?? null })));
}

async function sourceNamed(ctx: ServiceContext, name: string) {
  const source = await getSourceByName(ctx.db, name);
  if (!source) throw new AppError("NOT_FOUND", `no source called ${name} (see \`throughline source list\`)`);
  return source;
}

export async function removeSource(ctx: ServiceContext, name: string) {
  allow(canAdminister(ctx.actor));
  await deleteSource(ctx.db, (await sourceNamed(ctx, name)).id);
  await (await runningAppScheduler())?.sync();
}

export async function listSourceSyncs(ctx: ServiceContext, name: string, limit = 20) {
  allow(canAdminister(ctx.actor));
  return listSyncRuns(ctx.db, (await sourceNamed(ctx, name)).id, limit);
}

export async function testSource(ctx: ServiceContext, name: string) {
  allow(canAdminister(ctx.actor));
  return trackerFor(await sourceNamed(ctx, name)).connector.testConnection();
}

export async function syncSourceNow(ctx: ServiceContext, name: string, options: SyncOptions = {}) {
  allow(canAdminister(ctx.actor));
  const source = await sourceNamed(ctx, name);
  return syncSource(ctx.db, source, trackerFor(source), options);
}

const MappingInput = z.record(
  z.string().min(1),
  z.object({ category: z.enum(["todo", "in_progress", "done"], { error: 'must be "todo", "in_progress" or "done"' }), blocked: z.boolean().optional(), discarded: z.boolean().optional() }),
);

/** The statuses the tracker last listed, each with the tracker's category and the one in use. */
export async function listSourceStatuses(ctx: ServiceContext, name: string) {
  allow(canAdminister(ctx.actor));
  const source = await sourceNamed(ctx, name);
  return source.statuses.map((s) => ({ ...s, mapped: source.mapping[s.id] ?? null, category: source.mapping[s.id]?.category ?? s.suggested }));
}

/**
 * Everything the source's settings page shows: the source (its settings hold no secret), the
 * mapping review (each status the tracker lists with its suggested and used category and how many
 * items are in it now and ever were; statuses only the history still names come last, flagged),
 * the team's statuses that came from elsewhere (a file import into the same team), the sync
 * history and how fresh the team's data is.
 */
export async function getSourceDetail(ctx: ServiceContext, name: string, historyLimit = 20) {
  allow(canAdminister(ctx.actor));
  const source = await sourceNamed(ctx, name);
  const team = await getTeamByKey(ctx.db, source.teamKey);
  const [counts, workflow, runs, freshness] = await Promise.all([
    team ? countItemsByStatus(ctx.db, team.id) : new Map<string, { now: number; ever: number }>(),
    team ? listWorkflowStatuses(ctx.db, team.id) : [],
    listSyncRuns(ctx.db, source.id, historyLimit),
    getTeamFreshness(ctx.db, source.teamKey),
  ]);
  // Each status under the name the sync gave it in the team's workflow.
  const names = workflowNames(source.statuses);
  const used = new Set(names.values());
  const statuses = source.statuses.map((s) => {
    const workflowName = names.get(s.id)!;
    const mapped = source.mapping[s.id] ?? null;
    return { ...s, listed: s.listed !== false, workflowName, mapped, category: mapped?.category ?? s.suggested, items: counts.get(workflowName) ?? { now: 0, ever: 0 } };
  });
  const unlisted = workflow
    .filter((w) => !used.has(w.name))
    .map((w) => ({ name: w.name, category: w.category, items: counts.get(w.name) ?? { now: 0, ever: 0 } }));
  const { secretEnv, cursor: _cursor, ...shown } = source;
  return { source: { ...shown, secretEnv, secretSet: secretFromEnv(secretEnv) !== undefined }, team: team ? { key: team.key, name: team.name } : null, statuses, unlisted, runs, freshness };
}

/**
 * Changes the status → category mapping (merged into the current one); the next sync re-derives
 * the history from the stored payloads, without fetching again.
 */
export async function setSourceMapping(ctx: ServiceContext, name: string, changes: unknown) {
  allow(canAdminister(ctx.actor));
  const parsed = MappingInput.safeParse(changes);
  if (!parsed.success) throw invalidInput(parsed.error);
  const source = await sourceNamed(ctx, name);
  const mapping = { ...source.mapping, ...parsed.data };
  await updateSource(ctx.db, source.id, { mapping });
  return mapping;
}

const Choice = z.object({
  category: z.enum(["todo", "in_progress", "done"], { error: 'must be "todo", "in_progress" or "done"' }),
  blocked: z.boolean(),
  discarded: z.boolean(),
});

/**
 * The mapping as reviewed on the settings page: a choice per status reviewed. Only what differs
 * from the tracker's suggestion is stored, so a status the admin left alone keeps following the
 * tracker (a category changed there is picked up by the next sync).
 */
export async function reviewSourceMapping(ctx: ServiceContext, name: string, choices: Record<string, unknown>) {
  allow(canAdminister(ctx.actor));
  const source = await sourceNamed(ctx, name);
  const listed = new Map(source.statuses.map((s) => [s.id, s]));
  // A status the review does not mention keeps its mapping.
  const mapping: typeof source.mapping = { ...source.mapping };
  for (const [id, raw] of Object.entries(choices)) {
    const status = listed.get(id);
    if (!status) throw new AppError("INVALID_INPUT", `status ${id}: not in the tracker's status list (sync first)`, [{ where: `status ${id}`, message: "unknown" }]);
    const parsed = Choice.safeParse(raw);
    if (!parsed.success) {
      const details = detailsFromZod(parsed.error, `status ${status.name}`);
      throw new AppError("INVALID_INPUT", `${details[0]!.where}: ${details[0]!.message}`, details);
    }
    const c = parsed.data;
    const discarded = c.category === "done" && c.discarded;
    const asSuggested = c.category === status.suggested && !c.blocked && discarded === (status.discarded ?? false);
    if (asSuggested) delete mapping[id];
    else mapping[id] = { category: c.category, ...(c.blocked ? { blocked: true } : {}), ...(discarded ? { discarded: true } : {}) };
  }
  await updateSource(ctx.db, source.id, { mapping });
  return mapping;
}
