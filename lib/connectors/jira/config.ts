// What an admin gives to connect a Jira Cloud site. The mapper sees only the part without secrets.
import { z } from "zod";
import { AppError, detailsFromZod } from "../../errors";

/** The id Jira Cloud gives its Flagged field on most sites (as on both recorded sites). */
export const DEFAULT_FLAGGED_FIELD = "customfield_10021";

export const JiraConfigInput = z.object({
  /** e.g. https://your-team.atlassian.net; a trailing slash is dropped. */
  siteUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://your-team.atlassian.net" })
    .refine((u) => {
      // zod 4 runs refinements after a failed url check too: that check already said why.
      if (!URL.canParse(u)) return true;
      const url = new URL(u);
      return !url.username && !url.password && !url.search && !url.hash;
    }, { error: "must hold no user name, password, query or fragment" })
    .transform((u) => u.replace(/\/+$/, "")),
  email: z.email({ error: "must be the email of the Atlassian account" }),
  apiToken: z.string().min(1, { error: "must not be empty" }),
  /** Which issues, e.g. "project = SP"; a trailing ORDER BY is dropped (the connector orders by updated). */
  jql: z.string().trim().min(1, { error: "must not be empty, e.g. project = SP" }),
  milestones: z.enum(["fixVersion", "epic"], { error: 'must be "fixVersion" or "epic"' }).default("fixVersion"),
  /** The Flagged custom field's id, when the site's differs from customfield_10021. */
  flaggedField: z
    .string()
    .regex(/^customfield_\d+$/, { error: "must be a custom field id like customfield_10021" })
    .default(DEFAULT_FLAGGED_FIELD),
});
export type JiraConfig = z.output<typeof JiraConfigInput>;

/** What the pure mapper needs: no credentials. */
export type JiraMapConfig = Pick<JiraConfig, "siteUrl" | "milestones"> & { flaggedField?: string };

export function parseJiraConfig(input: unknown): JiraConfig {
  const parsed = JiraConfigInput.safeParse(input);
  if (parsed.success) return parsed.data;
  // Never echo the input: it holds the API token.
  const details = detailsFromZod(parsed.error).map((d) => ({ where: d.where, message: d.message }));
  const first = details[0];
  throw new AppError("INVALID_INPUT", first ? `Jira settings: ${first.where}: ${first.message}` : "Jira settings are invalid", details);
}
