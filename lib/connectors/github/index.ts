// The GitHub tracker connector: one repository's issues (not pull requests), each with its whole
// issue-events list, paged so that a killed sync resumes; fixed statuses derived from open/closed,
// labels and assignees, or a Projects (v2) field's options and history; the ids in the repository
// for deletions and transfers. It fetches and maps; it never touches the database.
import "server-only";
import { AppError, formatPath } from "../../errors";
import type { FetchedPage, FetchedRecord, FetchOptions, MappedRecord, TrackerConnector } from "../tracker";
import { GitHubCursor, parseGitHubConfig, type GitHubConfigInput, type GitHubMapConfig } from "./api-types";
import { createGitHubClient, MAX_PAGES, type GitHubDeps } from "./client";
import { GITHUB_STATUSES, mapGitHubIssue, projectStatuses } from "./mapper";

export { DEFAULT_GITHUB_API_URL, GitHubConfigInput, GitHubCursor, parseGitHubConfig, type GitHubConfig, type GitHubMapConfig, type GitHubProjectConfig } from "./api-types";
export type { GitHubDeps } from "./client";
export { GITHUB_STATUSES, NO_STATUS, closedStatus, gitHubItemKey, gitHubMilestoneKey, mapGitHubIssue, mapGitHubMilestone, projectStatusId, projectStatuses, suggestedProjectCategory, type GitHubStatusId } from "./mapper";

/** What an admin gives: `baseUrl`, `inProgress` and `blockerLabels` have defaults (see GitHubConfigInput). */
export type GitHubSourceConfig = GitHubConfigInput;

export interface GitHubConnector extends TrackerConnector {
  kind: "github";
  /** The mapper's part of the configuration (no token). */
  mapConfig: GitHubMapConfig;
  /** `mapGitHubIssue` under this connector's configuration. */
  map(payload: unknown): MappedRecord;
}

function parseCursor(cursor: unknown): GitHubCursor {
  const parsed = GitHubCursor.safeParse(cursor);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ where: formatPath(["cursor", ...i.path]), message: i.message }));
  throw new AppError("INVALID_INPUT", `not a GitHub page cursor: ${details[0]?.where ?? "cursor"}: ${details[0]?.message ?? "invalid"}`, details);
}

/** GitHub's `since` wants whole seconds (YYYY-MM-DDTHH:MM:SSZ); flooring fetches a little more, never less. */
function sinceParam(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

export function createGitHubConnector(settings: GitHubSourceConfig, deps: GitHubDeps): GitHubConnector {
  const config = parseGitHubConfig(settings);
  const client = createGitHubClient(config, deps);
  const mapConfig: GitHubMapConfig = {
    repo: config.repo,
    inProgress: { label: config.inProgress.label, assignment: config.inProgress.assignment },
    blockerLabels: config.blockerLabels,
    project: config.project,
  };
  const project = config.project;

  /**
   * Issues updated since, oldest update first (`sort=updated&direction=asc`, `since` inclusive,
   * "at or after"). Link's rel="next" says whether more follow, but the next request starts again
   * from the last item's `updated_at` instead of asking for page N+1: an issue updated while we
   * page moves to the end, and with page numbers the item behind it would slide onto a page
   * already read and never be fetched. Only when a whole page shares one `updated_at` does the
   * page number advance. Items at the boundary come again and are yielded once (`seen`).
   */
  async function* fetchPages(options: FetchOptions): AsyncGenerator<FetchedPage> {
    let state: GitHubCursor =
      options.cursor === undefined || options.cursor === null
        ? { since: options.updatedSince ? sinceParam(options.updatedSince) : null, page: 1, seen: [] }
        : parseCursor(options.cursor);
    const yielded = new Map<string, string>(state.seen.map((id) => [id, state.since ?? ""]));
    for (;;) {
      if (state.page > MAX_PAGES) throw new AppError("SOURCE_FAILED", `GitHub ${client.host}: more than ${MAX_PAGES} pages of issues updated at ${state.since}`);
      const page = await client.issuePage({ since: state.since, page: state.page, sort: "updated" }, options.signal);
      const records: (FetchedRecord & { payload: { issue: unknown; events: unknown[]; project?: unknown } })[] = [];
      const nodeIds = new Map<string, string>();
      for (let i = 0; i < page.data.length; i++) {
        const issue = page.data[i]!;
        // Pull requests are listed with the issues but are no work items. They are left out of
        // the page rather than returned as skipped: the engine counts only what a page holds.
        if (issue.pull_request != null) continue;
        const id = String(issue.id);
        if (yielded.get(id) === issue.updated_at) continue;
        const events = await client.events(issue.number, options.signal);
        if (events === null) continue;
        yielded.set(id, issue.updated_at);
        if (project) {
          if (!issue.node_id) throw new AppError("INVALID_INPUT", `GitHub ${client.host} listed issue #${issue.number} without a node_id, which its project history needs`);
          nodeIds.set(id, issue.node_id);
        }
        records.push({ id, updatedAt: issue.updated_at, payload: { issue: page.raw[i], events } });
      }
      // The page's project history in one query (GraphQL only; each is spaced a second by Octokit).
      if (project && records.length > 0) {
        const histories = await client.projectHistories([...nodeIds.values()], project.field, options.signal);
        for (const record of records) record.payload.project = histories.get(nodeIds.get(record.id)!) ?? { items: [], timeline: [] };
      }
      const last = page.data.at(-1);
      if (!page.next || !last) {
        yield { records, cursor: null };
        return;
      }
      const lastMs = Date.parse(last.updated_at);
      const atLast = page.data.filter((d) => Date.parse(d.updated_at) === lastMs && d.pull_request == null).map((d) => String(d.id));
      state =
        state.since !== null && Date.parse(state.since) >= lastMs
          ? { since: state.since, page: state.page + 1, seen: state.seen }
          : { since: last.updated_at, page: 1, seen: atLast };
      yield { records, cursor: state };
    }
  }

  return {
    kind: "github",
    mapConfig,
    map: (payload) => mapGitHubIssue(payload, mapConfig),

    async testConnection() {
      const { data: repo } = await client.repository();
      if (repo.has_issues === false) {
        throw new AppError("SOURCE_FAILED", `GitHub ${client.host}: issues are disabled in ${repo.full_name}`, [{ where: "repo", message: "issues are disabled" }]);
      }
      const visibility = repo.private ? "private" : "public";
      const description = `GitHub repository ${repo.full_name} (${visibility}${repo.archived ? ", archived" : ""}) on ${client.host}`;
      if (!project) return { description };
      const board = await client.project(project);
      return { description: `${description}, statuses from the field "${project.field}" of project "${board.title}" (${board.options.length} options)` };
    },

    /** Fixed statuses; with a project, its field's options (read each sync, so a new option is listed). */
    async listStatuses() {
      if (!project) return GITHUB_STATUSES.map((s) => ({ ...s }));
      return projectStatuses((await client.project(project)).options);
    },

    fetchPages,

    /**
     * The id of every issue in the repository now, any state; pull requests left out. By creation
     * date, oldest first, so an issue opened meanwhile lands on the last page instead of shifting
     * the others. A transferred or deleted issue is no longer listed.
     */
    async listIds(signal?: AbortSignal) {
      const ids = new Set<string>();
      for (let page = 1; ; page++) {
        if (page > MAX_PAGES) throw new AppError("SOURCE_FAILED", `GitHub ${client.host}: more than ${MAX_PAGES} pages of issues`);
        const result = await client.issuePage({ since: null, page, sort: "created" }, signal);
        for (const issue of result.data) if (issue.pull_request == null) ids.add(String(issue.id));
        if (!result.next) return ids;
      }
    },
  };
}
