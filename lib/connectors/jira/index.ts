// The Jira Cloud connector: issues matching the admin's JQL, each with its whole changelog, paged
// so that a killed sync resumes; the status list for the workflow; the ids in scope for deletions.
// Fetches and maps only; the sync engine stores.
import "server-only";
import { z } from "zod";
import { AppError, formatPath } from "../../errors";
import type { FetchedPage, FetchedRecord, FetchOptions, TrackerConnector } from "../tracker";
import { toIsoInstant, type JiraIssueEnvelope } from "./api-types";
import { baseJql, createJiraClient, searchJql, sinceLiteral, type JiraDeps } from "./client";
import { parseJiraConfig } from "./config";
import { mapJiraStatuses } from "./mapper";

export { JiraConfigInput, parseJiraConfig, DEFAULT_FLAGGED_FIELD, type JiraConfig, type JiraMapConfig } from "./config";
export { mapJiraIssue, mapJiraStatuses, suggestedCategory } from "./mapper";
export type { JiraDeps } from "./client";

/**
 * Where a fetch resumes: Jira's token for the next page and the exact `updated >=` literal the
 * token belongs to (a token is only valid for the same JQL).
 */
export const JiraCursor = z.object({
  nextPageToken: z.string().min(1),
  updatedSince: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, { error: 'must be a JQL date-time "yyyy-MM-dd HH:mm"' })
    .nullable(),
});
export type JiraCursor = z.output<typeof JiraCursor>;

function parseCursor(cursor: unknown): JiraCursor {
  const parsed = JiraCursor.safeParse(cursor);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ where: formatPath(["cursor", ...i.path]), message: i.message }));
  throw new AppError("INVALID_INPUT", `not a Jira page cursor: ${details[0]?.where ?? "cursor"}: ${details[0]?.message ?? "invalid"}`, details);
}

export function createJiraConnector(settings: unknown, deps: JiraDeps): TrackerConnector {
  const config = parseJiraConfig(settings);
  const client = createJiraClient(config, deps);
  const jql = baseJql(config.jql);
  const updatedMs = (issue: JiraIssueEnvelope) => Date.parse(toIsoInstant(issue.fields.updated)!);

  /** Follows nextPageToken; a token seen twice would page forever, so it stops the fetch. */
  function nextToken(page: { nextPageToken?: string | null; isLast?: boolean | null }, seen: Set<string>): string | null {
    const next = page.isLast === true ? null : page.nextPageToken || null;
    if (next && seen.has(next)) throw new AppError("SOURCE_FAILED", `Jira ${client.host} repeated a page token: stopped so as not to page forever`);
    if (next) seen.add(next);
    return next;
  }

  async function* fetchPages(options: FetchOptions): AsyncGenerator<FetchedPage> {
    const cursor = options.cursor == null ? null : parseCursor(options.cursor);
    let since: string | null = null;
    if (cursor) since = cursor.updatedSince;
    else if (options.updatedSince) since = sinceLiteral(options.updatedSince, (await client.myself(options.signal)).timeZone);
    const query = searchJql(jql, since);
    let token = cursor?.nextPageToken ?? null;
    const tokens = new Set<string>(token ? [token] : []);
    // Jira may list an issue twice in a page, or again on a later page (it was updated while we
    // paged, or its place shifted): a copy is yielded only if it is newer than the one yielded.
    const yielded = new Map<string, number>();
    let request = client.searchPage(query, token, options.signal);
    for (;;) {
      const page = await request;
      const records: FetchedRecord[] = [];
      for (const issue of page.issues) {
        const before = yielded.get(issue.id);
        if (before !== undefined && before >= updatedMs(issue)) continue;
        yielded.set(issue.id, updatedMs(issue));
        const payload = await client.completeChangelog(issue, options.signal);
        records.push({ id: issue.id, updatedAt: toIsoInstant(issue.fields.updated)!, payload });
      }
      token = nextToken(page, tokens);
      // The next page is on its way while the caller stores this one. Its failure, if any, is
      // thrown at the next turn (a caller that stops early never sees it).
      if (token) {
        request = client.searchPage(query, token, options.signal);
        request.catch(() => {});
      }
      yield { records, cursor: token ? ({ nextPageToken: token, updatedSince: since } satisfies JiraCursor) : null };
      if (!token) return;
    }
  }

  return {
    kind: "jira",

    async testConnection() {
      const me = await client.myself();
      const { count } = await client.approximateCount(jql);
      const who = me.displayName ? `as ${me.displayName}` : "with these credentials";
      return { description: `Signed in to ${client.host} ${who}: about ${count} issue${count === 1 ? "" : "s"} match ${jql}` };
    },

    async listStatuses() {
      return mapJiraStatuses(await client.statuses());
    },

    fetchPages,

    async listIds(signal?: AbortSignal) {
      const ids = new Set<string>();
      const tokens = new Set<string>();
      let token: string | null = null;
      do {
        const page = await client.idPage(`(${jql})`, token, signal);
        for (const issue of page.issues) ids.add(issue.id);
        token = nextToken(page, tokens);
      } while (token);
      return ids;
    },
  };
}
