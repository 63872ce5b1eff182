// Zod of the Jira Cloud REST v3 payloads the connector reads. Objects are loose: the raw payload
// is stored whole, and a field we do not read must never make a page fail.
import { z } from "zod";

/** Jira writes `2021-01-05T09:00:00.000+0800`; ISO 8601 (and our import format) wants `+08:00`. */
const JIRA_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/;

/** The instant in ISO 8601 with a colon offset (the offset Jira gave is kept), or null if it is not one. */
export function toIsoInstant(value: string): string | null {
  const m = JIRA_INSTANT.exec(value);
  if (!m) return null;
  const offset = m[2] === "Z" ? "Z" : m[2]!.includes(":") ? m[2]! : `${m[2]!.slice(0, 3)}:${m[2]!.slice(3)}`;
  const iso = `${m[1]}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export const JiraInstant = z.string().refine((v) => toIsoInstant(v) !== null, {
  error: "must be an instant like 2021-01-05T09:00:00.000+0800",
});

export const JiraStatusCategory = z.looseObject({ key: z.string() });

export const JiraStatus = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: JiraStatusCategory.nullish(),
});
export type JiraStatus = z.output<typeof JiraStatus>;

/** GET /rest/api/3/status */
export const JiraStatusList = z.array(JiraStatus);

/** GET /rest/api/3/myself */
export const JiraMyself = z.looseObject({
  accountId: z.string().nullish(),
  displayName: z.string().nullish(),
  /** The account's timezone: JQL dates are read in it. */
  timeZone: z.string().nullish(),
});

/** POST /rest/api/3/search/approximate-count */
export const JiraApproximateCount = z.looseObject({ count: z.number() });

/** A changelog entry as the client needs it (to merge pages); the mapper reads its items. */
export const JiraHistoryEnvelope = z.looseObject({
  id: z.string(),
  created: JiraInstant,
  items: z.array(z.looseObject({ field: z.string() })),
});

export const JiraChangelogEnvelope = z.looseObject({
  startAt: z.number().nullish(),
  maxResults: z.number().nullish(),
  total: z.number().nullish(),
  histories: z.array(JiraHistoryEnvelope),
});

/** An issue as the client needs it: its id, its last update and its changelog. */
export const JiraIssueEnvelope = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({ updated: JiraInstant }),
  changelog: JiraChangelogEnvelope.nullish(),
});
export type JiraIssueEnvelope = z.output<typeof JiraIssueEnvelope>;

/** GET /rest/api/3/search/jql (with fields and expand=changelog) */
export const JiraSearchPage = z.looseObject({
  issues: z.array(JiraIssueEnvelope),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().nullish(),
});

/** GET /rest/api/3/search/jql with fields=id */
export const JiraIdPage = z.looseObject({
  issues: z.array(z.looseObject({ id: z.string() })),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().nullish(),
});

/** GET /rest/api/3/issue/{id}/changelog (paged by startAt) */
export const JiraChangelogPage = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  isLast: z.boolean().nullish(),
  values: z.array(JiraHistoryEnvelope),
});

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. */
export const JiraErrorBody = z.looseObject({
  errorMessages: z.array(z.string()).nullish(),
  errors: z.record(z.string(), z.unknown()).nullish(),
});

// What the mapper reads of an issue.

// A JSON item without an own `toString` would otherwise be read as Object.prototype.toString.
const withOwn = (keys: string[]) => (v: unknown) => {
  if (!v || typeof v !== "object") return v;
  const missing = keys.filter((k) => !Object.hasOwn(v, k));
  return missing.length ? { ...v, ...Object.fromEntries(missing.map((k) => [k, null])) } : v;
};

export const JiraChangelogItem = z.preprocess(
  withOwn(["toString", "fromString", "from", "to", "fieldId"]),
  z.looseObject({
    field: z.string(),
    fieldId: z.string().nullish(),
    from: z.string().nullish(),
    fromString: z.string().nullish(),
    to: z.string().nullish(),
    toString: z.string().nullish(),
  }),
);

export const JiraHistory = z.looseObject({
  id: z.string(),
  created: JiraInstant,
  items: z.array(JiraChangelogItem),
});
export type JiraHistory = z.output<typeof JiraHistory>;

export const JiraVersion = z.looseObject({
  id: z.string(),
  name: z.string(),
  releaseDate: z.string().nullish(),
  released: z.boolean().nullish(),
});
export type JiraVersion = z.output<typeof JiraVersion>;

const JiraIssueType = z.looseObject({ name: z.string(), hierarchyLevel: z.number().nullish() });

export const JiraIssue = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({
    summary: z.string(),
    issuetype: JiraIssueType,
    status: JiraStatus,
    created: JiraInstant,
    updated: JiraInstant,
    fixVersions: z.array(JiraVersion).nullish(),
    parent: z
      .looseObject({
        id: z.string(),
        key: z.string(),
        fields: z.looseObject({ summary: z.string().nullish(), issuetype: JiraIssueType.nullish() }).nullish(),
      })
      .nullish(),
    /** The agile API's own flag (rest/agile/1.0); search/jql carries the custom field instead. */
    flagged: z.boolean().nullish(),
  }),
  changelog: z.looseObject({ histories: z.array(JiraHistory) }).nullish(),
});
export type JiraIssue = z.output<typeof JiraIssue>;
