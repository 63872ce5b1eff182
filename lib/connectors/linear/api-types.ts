// The Linear connector's configuration and the GraphQL payloads it reads, as zod schemas. A field
// Linear's schema declares nullable is `.nullish()` here (absent reads as none); the others are
// required, so a payload from another query shape fails by name rather than mapping half.
import { z } from "zod";

export const DEFAULT_LINEAR_API_URL = "https://api.linear.app/graphql";

export const LinearConfig = z
  .object({
    apiUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default(DEFAULT_LINEAR_API_URL),
    apiKey: z.string({ error: "must be a Linear API key" }).min(1, { error: "must be a Linear API key" }),
    teamKey: z.string().min(1).optional(),
    teamId: z.string().min(1).optional(),
    /** What becomes an item's milestone: its project or its cycle. */
    milestones: z.enum(["project", "cycle"], { error: 'must be "project" or "cycle"' }).default("project"),
  })
  .refine((c) => (c.teamKey === undefined) !== (c.teamId === undefined), { error: "give the team's key or its id (one of them)", path: ["teamKey"] });
export type LinearConfigInput = z.input<typeof LinearConfig>;
export type LinearConfig = z.output<typeof LinearConfig>;

const Instant = z.iso.datetime({ offset: true, error: "must be an instant with an offset" });

export const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });
export type PageInfo = z.output<typeof PageInfo>;

const StateRef = z.object({ id: z.string().min(1), name: z.string() });

export const LinearHistoryEntry = z.object({
  createdAt: Instant,
  fromState: StateRef.nullish(),
  toState: StateRef.nullish(),
});
export type LinearHistoryEntry = z.output<typeof LinearHistoryEntry>;

/** A relation pointing at the issue: for type "blocks", `issue` is the one blocking it. */
export const LinearInverseRelation = z.object({
  id: z.string().min(1),
  type: z.string(),
  createdAt: Instant,
  issue: z.object({
    id: z.string().min(1),
    identifier: z.string().min(1),
    completedAt: Instant.nullish(),
    canceledAt: Instant.nullish(),
  }),
});
export type LinearInverseRelation = z.output<typeof LinearInverseRelation>;

export const LinearProject = z.object({
  id: z.string().min(1),
  name: z.string(),
  targetDate: z.iso.date({ error: "must be a date (YYYY-MM-DD)" }).nullish(),
  completedAt: Instant.nullish(),
});

export const LinearCycle = z.object({
  id: z.string().min(1),
  number: z.number(),
  name: z.string().nullish(),
  endsAt: Instant,
  completedAt: Instant.nullish(),
});

/** One issue as the issues query below selects it (history and relations completed by the client). */
export const LinearIssue = z.object({
  id: z.string().min(1),
  identifier: z.string().min(1),
  title: z.string(),
  url: z.string(),
  createdAt: Instant,
  updatedAt: Instant,
  completedAt: Instant.nullish(),
  canceledAt: Instant.nullish(),
  team: z.object({ id: z.string().min(1), key: z.string(), timezone: z.string().nullish() }),
  state: StateRef,
  labels: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string() })) }),
  project: LinearProject.nullish(),
  cycle: LinearCycle.nullish(),
  history: z.object({ nodes: z.array(LinearHistoryEntry), pageInfo: PageInfo.optional() }),
  inverseRelations: z.object({ nodes: z.array(LinearInverseRelation), pageInfo: PageInfo.optional() }),
});
export type LinearIssue = z.output<typeof LinearIssue>;

export const LinearWorkflowState = z.object({ id: z.string().min(1), name: z.string(), type: z.string() });
export type LinearWorkflowState = z.output<typeof LinearWorkflowState>;

export const LinearTeam = z.object({ id: z.string().min(1), key: z.string(), name: z.string(), timezone: z.string().nullish() });
export type LinearTeam = z.output<typeof LinearTeam>;

// Responses, checked by the client. Issue nodes are checked only for what paging needs: the
// mapper reads the rest, so one odd issue is skipped with its reason instead of stopping a sync.
const Connection = <T extends z.ZodType>(node: T) => z.object({ nodes: z.array(node), pageInfo: PageInfo });

const IssueEnvelope = z.looseObject({
  id: z.string().min(1),
  updatedAt: Instant,
  history: z.looseObject({ nodes: z.array(z.unknown()), pageInfo: PageInfo }),
  inverseRelations: z.looseObject({ nodes: z.array(z.unknown()), pageInfo: PageInfo }),
});
export type IssueEnvelope = z.output<typeof IssueEnvelope>;

export const TeamResponse = z.object({
  viewer: z.object({ id: z.string(), name: z.string() }),
  teams: z.object({ nodes: z.array(LinearTeam) }),
});
export const WorkflowStatesResponse = z.object({ workflowStates: Connection(LinearWorkflowState) });
export const IssuesResponse = z.object({ issues: Connection(IssueEnvelope) });
export const IssueIdsResponse = z.object({ issues: Connection(z.object({ id: z.string().min(1) })) });
export const IssueHistoryResponse = z.object({ issue: z.object({ history: Connection(z.unknown()) }) });
export const IssueRelationsResponse = z.object({ issue: z.object({ inverseRelations: Connection(z.unknown()) }) });

/** Where a killed sync resumes: the page after `after`, under the same `updatedSince` filter. */
export const LinearCursor = z.object({ after: z.string().min(1), updatedSince: Instant.nullable() });
export type LinearCursor = z.output<typeof LinearCursor>;
