// Zod of the GitHub connector's settings and of the REST payloads it reads. Payload objects are
// loose: the raw payload is stored whole, and a field we do not read must never make a page fail.
import { z } from "zod";
import { AppError, detailsFromZod } from "../../errors";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

// GitHub's own rules are narrower (an owner has no dots); GitHub Enterprise Server's LDAP/SAML
// logins are not, so only what could break a URL path is refused.
const NAME = /^[A-Za-z0-9_.-]+$/;

export const GitHubConfigInput = z.object({
  /** The REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://api.github.com or https://github.example.com/api/v3" })
    .refine(
      (u) => {
        const url = new URL(u);
        return !url.username && !url.password && !url.search && !url.hash;
      },
      { error: "must hold no user name, password, query or fragment" },
    )
    .transform((u) => u.replace(/\/+$/, ""))
    .default(DEFAULT_GITHUB_API_URL),
  token: z.string().trim().min(1, { error: "must not be empty" }),
  owner: z.string().regex(NAME, { error: "must be a GitHub user or organisation name" }),
  repo: z
    .string()
    .regex(NAME, { error: "must be a repository name (letters, digits, '.', '_' and '-')" })
    .refine((r) => r !== "." && r !== "..", { error: "must be a repository name" }),
  inProgress: z
    .object({
      /** An open issue carrying this label is in progress (matched case-insensitively, as GitHub does). */
      label: z
        .string()
        .trim()
        .min(1, { error: "must not be empty (leave it out for none)" })
        .nullish()
        .transform((v) => v ?? null),
      /** An open issue with at least one assignee is in progress. */
      assignment: z.boolean().default(true),
      // A Projects (v2) status field lives in GraphQL only and has no REST history, so it is not
      // read yet; refusing it beats accepting a setting that would silently do nothing.
      projectStatusField: z
        .unknown()
        .refine((v) => v === undefined || v === null, { error: "Projects (v2) status fields are not supported yet: use a label or assignment" })
        .optional(),
    })
    .prefault({}),
  /** Labels that mark an issue as blocked while they are on it (case-insensitive). */
  blockerLabels: z.array(z.string().trim().min(1, { error: "must not be empty" })).default(["blocked"]),
});
export type GitHubConfigInput = z.input<typeof GitHubConfigInput>;
export type GitHubConfig = z.output<typeof GitHubConfigInput>;

/** What the pure mapper needs: no credentials. */
export type GitHubMapConfig = Pick<GitHubConfig, "repo" | "blockerLabels"> & {
  inProgress: Pick<GitHubConfig["inProgress"], "label" | "assignment">;
};

export function parseGitHubConfig(input: unknown): GitHubConfig {
  const parsed = GitHubConfigInput.safeParse(input);
  if (parsed.success) return parsed.data;
  // Never echo the input: it holds the token.
  const details = detailsFromZod(parsed.error).map((d) => ({ where: d.where, message: d.message }));
  const first = details[0];
  throw new AppError("INVALID_INPUT", first ? `GitHub settings: ${first.where}: ${first.message}` : "GitHub settings are invalid", details);
}

/** GitHub writes `2022-07-19T04:39:16Z`; any ISO 8601 instant with an offset is accepted. */
export const GitHubInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/, { error: "must be an instant like 2022-07-19T04:39:16Z" })
  .refine((v) => !Number.isNaN(Date.parse(v)), { error: "must be an instant like 2022-07-19T04:39:16Z" });

// What the client needs to page and to tell issues from pull requests.

/** An item of GET /repos/{owner}/{repo}/issues (issues and pull requests alike). */
export const GitHubIssueEnvelope = z.looseObject({
  id: z.number(),
  number: z.number(),
  updated_at: GitHubInstant,
  /** Present (an object) on pull requests only. */
  pull_request: z.unknown().optional(),
});
export type GitHubIssueEnvelope = z.output<typeof GitHubIssueEnvelope>;
export const GitHubIssueList = z.array(GitHubIssueEnvelope);

/** An item of GET /repos/{owner}/{repo}/issues/{number}/events, as the client checks it. */
export const GitHubEventEnvelope = z.looseObject({ id: z.number(), event: z.string(), created_at: GitHubInstant });
export const GitHubEventList = z.array(GitHubEventEnvelope);

/** GET /repos/{owner}/{repo} */
export const GitHubRepository = z.looseObject({
  id: z.number(),
  full_name: z.string(),
  private: z.boolean().nullish(),
  has_issues: z.boolean().nullish(),
  archived: z.boolean().nullish(),
});

/** GitHub's error body: `{ message, documentation_url }`. */
export const GitHubErrorBody = z.looseObject({ message: z.string() });

/** Where a fetch resumes: the `since` it pages from, the page under it, the ids already yielded at `since`. */
export const GitHubCursor = z.object({
  since: GitHubInstant.nullable(),
  page: z.number().int().min(1),
  seen: z.array(z.string()).max(1000),
});
export type GitHubCursor = z.output<typeof GitHubCursor>;

// What the mapper reads.

const Label = z.union([z.string(), z.looseObject({ name: z.string() })]);
const User = z.looseObject({ login: z.string(), id: z.number().nullish() });

export const GitHubMilestone = z.looseObject({
  number: z.number(),
  title: z.string(),
  state: z.string().nullish(),
  due_on: GitHubInstant.nullish(),
  closed_at: GitHubInstant.nullish(),
});
export type GitHubMilestone = z.output<typeof GitHubMilestone>;

export const GitHubIssue = z.looseObject({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  state: z.string(),
  state_reason: z.string().nullish(),
  html_url: z.string().nullish(),
  labels: z.array(Label).nullish(),
  assignee: User.nullish(),
  assignees: z.array(User).nullish(),
  milestone: GitHubMilestone.nullish(),
  created_at: GitHubInstant,
  updated_at: GitHubInstant,
  closed_at: GitHubInstant.nullish(),
  /** GitHub's issue type (organisations that define types). */
  type: z.looseObject({ name: z.string() }).nullish(),
  pull_request: z.unknown().optional(),
});
export type GitHubIssue = z.output<typeof GitHubIssue>;

export const GitHubEvent = z.looseObject({
  id: z.number(),
  event: z.string(),
  created_at: GitHubInstant,
  label: z.looseObject({ name: z.string() }).nullish(),
  assignee: User.nullish(),
  state_reason: z.string().nullish(),
});
export type GitHubEvent = z.output<typeof GitHubEvent>;

/** One fetched record's payload: the issue as listed and its whole issue-events list. */
export const GitHubIssuePayload = z.looseObject({ issue: GitHubIssue, events: z.array(GitHubEvent) });
export type GitHubIssuePayload = z.output<typeof GitHubIssuePayload>;
