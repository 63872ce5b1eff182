// Zod of the GitHub connector's settings and of the REST payloads it reads. Payload objects are
// loose: the raw payload is stored whole, and a field we do not read must never make a page fail.
import { z } from "zod";
import { AppError, detailsFromZod } from "../../errors";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

// GitHub's own rules are narrower (an owner has no dots); GitHub Enterprise Server's LDAP/SAML
// logins are not, so only what could break a URL path is refused.
const NAME = /^[A-Za-z0-9_.-]+$/;

// Settings can come from text (the CLI's --set key=value): a number or a boolean may come as its text.
const Count = z
  .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)], { error: "must be a whole number, e.g. 7" })
  .pipe(z.number().int({ error: "must be a whole number, e.g. 7" }).min(1, { error: "must be a whole number from 1" }));
const Flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], { error: "must be true or false" });

/** A Projects (v2) board whose single-select field says where an issue stands. */
export const GitHubProjectInput = z.strictObject({
  /** The user or organisation the project belongs to (it need not own the repository). */
  owner: z.string().regex(NAME, { error: "must be a GitHub user or organisation name" }),
  /** The project's number, as in https://github.com/orgs/acme/projects/7. */
  number: Count,
  /** The single-select field whose options are the statuses. */
  field: z.string().trim().min(1, { error: "must not be empty" }).default("Status"),
});
export type GitHubProjectConfig = z.output<typeof GitHubProjectInput>;

export const GitHubConfigInput = z
  .object({
    /** The REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
    baseUrl: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://api.github.com or https://github.example.com/api/v3" })
      .refine(
        (u) => {
          // zod 4 runs refinements after a failed url check too: that check already said why.
      if (!URL.canParse(u)) return true;
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
    // Strict: a mistyped key (`inProgress.lable`) is refused rather than silently doing nothing.
    inProgress: z
      .strictObject({
        /** An open issue carrying this label is in progress (matched case-insensitively, as GitHub does). */
        label: z
          .string()
          .trim()
          .min(1, { error: "must not be empty (leave it out for none)" })
          .nullish()
          .transform((v) => v ?? null),
        /** An open issue with at least one assignee is in progress; the default without a project. */
        assignment: Flag.optional(),
      })
      .prefault({}),
    /** When set, the project's field gives the statuses; labels and assignees then move none. */
    project: GitHubProjectInput.nullish().transform((v) => v ?? null),
    /** Labels that mark an issue as blocked while they are on it (case-insensitive). */
    blockerLabels: z.array(z.string().trim().min(1, { error: "must not be empty" })).default(["blocked"]),
  })
  .superRefine((v, ctx) => {
    // Two signals would disagree about one issue; refusing beats picking one silently.
    const why = "leave it out with a project: the project's field says what is in progress";
    if (v.project && v.inProgress.label !== null) ctx.addIssue({ code: "custom", path: ["inProgress", "label"], message: why });
    if (v.project && v.inProgress.assignment === true) ctx.addIssue({ code: "custom", path: ["inProgress", "assignment"], message: why });
  })
  .transform((v) => ({ ...v, inProgress: { label: v.inProgress.label, assignment: v.inProgress.assignment ?? v.project === null } }));
export type GitHubConfigInput = z.input<typeof GitHubConfigInput>;
export type GitHubConfig = z.output<typeof GitHubConfigInput>;

/** What the pure mapper needs: no credentials. Without a project, labels and assignees say what is in progress. */
export type GitHubMapConfig = Pick<GitHubConfig, "repo" | "blockerLabels"> & {
  inProgress: Pick<GitHubConfig["inProgress"], "label" | "assignment">;
  project?: GitHubProjectConfig | null;
};

export function parseGitHubConfig(input: unknown): GitHubConfig {
  const parsed = GitHubConfigInput.safeParse(input);
  if (parsed.success) return parsed.data;
  // A mistyped key explains the missing one it stands for, so it is named first. Never echo the input: it holds the token.
  parsed.error.issues.sort((a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"));
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
  /** The GraphQL id, by which a project's history is asked for. */
  node_id: z.string().nullish(),
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

// Projects (v2), GraphQL only. Shapes as GitHub's public schema defines them (SOURCE.md in the
// fixtures); every project of the issue is kept, so the mapper picks the configured one.

/** A project as an event or an item names it: its number and its owner's login. */
const ProjectRef = z.looseObject({ number: z.number(), owner: z.looseObject({ login: z.string().nullish() }).nullish() });
export type GitHubProjectRef = z.output<typeof ProjectRef>;

/** An item of `timelineItems(itemTypes: [PROJECT_V2_ITEM_STATUS_CHANGED_EVENT, REMOVED_FROM_PROJECT_V2_EVENT])`. */
export const GitHubProjectEvent = z.looseObject({
  __typename: z.string(),
  id: z.string().nullish(),
  createdAt: GitHubInstant.nullish(),
  /** The empty string when the item had no status. */
  previousStatus: z.string().nullish(),
  status: z.string().nullish(),
  /** Null when the token cannot see the project. */
  project: ProjectRef.nullish(),
});
export type GitHubProjectEvent = z.output<typeof GitHubProjectEvent>;

/** An item of `Issue.projectItems`, with the configured field's value now. */
export const GitHubProjectItem = z.looseObject({
  isArchived: z.boolean().nullish(),
  project: ProjectRef.nullish(),
  fieldValue: z
    .looseObject({
      __typename: z.string(),
      name: z.string().nullish(),
      updatedAt: GitHubInstant.nullish(),
      field: z.looseObject({ name: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type GitHubProjectItem = z.output<typeof GitHubProjectItem>;

/** What a payload holds of the projects: the issue's project items and its project events, oldest first. */
export const GitHubProjectHistory = z.looseObject({ items: z.array(GitHubProjectItem.nullable()), timeline: z.array(GitHubProjectEvent.nullable()) });

/** One fetched record's payload: the issue as listed, its whole issue-events list and, with a project configured, its project history. */
export const GitHubIssuePayload = z.looseObject({ issue: GitHubIssue, events: z.array(GitHubEvent), project: GitHubProjectHistory.nullish() });
export type GitHubIssuePayload = z.output<typeof GitHubIssuePayload>;

// What the client checks of its GraphQL answers (the nodes are kept raw in the payload).

const PageInfo = z.looseObject({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });
const Timeline = z.looseObject({ pageInfo: PageInfo, nodes: z.array(z.unknown()) });

/** `nodes(ids: …)`: each issue (null when gone) with its project items and first page of project events. */
export const GitHubHistoryAnswer = z.looseObject({
  nodes: z.array(z.looseObject({ id: z.string(), projectItems: z.looseObject({ nodes: z.array(z.unknown()) }).nullish(), timelineItems: Timeline }).nullable()),
});

/** `node(id: …)`: a further page of one issue's project events. */
export const GitHubTimelineAnswer = z.looseObject({ node: z.looseObject({ timelineItems: Timeline }).nullable() });

/** `repositoryOwner(login) { projectV2(number) { field(name) } }`. */
export const GitHubProjectAnswer = z.looseObject({
  repositoryOwner: z
    .looseObject({
      projectV2: z
        .looseObject({
          title: z.string(),
          url: z.string().nullish(),
          field: z.looseObject({ __typename: z.string(), name: z.string().nullish(), options: z.array(z.looseObject({ id: z.string(), name: z.string() })).nullish() }).nullable(),
        })
        .nullish(),
    })
    .nullable(),
});

/** An entry of a GraphQL answer's `errors`. */
export const GitHubGraphqlError = z.looseObject({ type: z.string().nullish(), message: z.string().nullish(), path: z.array(z.union([z.string(), z.number()])).nullish() });
