// Turns a stored source (kind, settings, the name of its secret) into its connector and mapper.
// The credential is read from its THROUGHLINE_SECRET_* variable at the moment of use and goes
// only to the connector; every request goes through the guarded fetch (addresses, size, time).
import "server-only";
import { env, secretFromEnv } from "../env";
import { AppError } from "../errors";
import { createGuardedFetch, type OutboundPolicy } from "./http/outbound";
import { createGitHubConnector } from "./github";
import { createJiraConnector, mapJiraIssue, parseJiraConfig } from "./jira";
import { createLinearConnector } from "./linear";
import type { SyncTarget } from "./tracker";

export const TRACKER_KINDS = ["github", "jira", "linear"] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

export interface StoredSource {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  secretEnv: string;
}

/** Trackers answer pages of up to a few MB; a minute covers a slow page. */
export function trackerPolicy(): OutboundPolicy {
  const e = env();
  return { allow: e.THROUGHLINE_FETCH_ALLOW, maxBytes: e.THROUGHLINE_FETCH_MAX_BYTES, timeoutMs: 60_000 };
}

export function trackerFor(source: StoredSource, policy: OutboundPolicy = trackerPolicy()): SyncTarget {
  const secret = secretFromEnv(source.secretEnv);
  if (!secret) {
    throw new AppError("INVALID_INPUT", `source ${source.name}: ${source.secretEnv} is not set (or not a THROUGHLINE_SECRET_* name); set it to the tracker's API token`, [
      { where: "secretEnv", message: "not set" },
    ]);
  }
  const fetch = createGuardedFetch(policy);
  switch (source.kind) {
    case "github": {
      const connector = createGitHubConnector({ ...source.settings, token: secret } as never, { fetch });
      return { connector, map: (payload) => connector.map(payload) };
    }
    case "jira": {
      const settings = { ...source.settings, apiToken: secret };
      const config = parseJiraConfig(settings);
      return { connector: createJiraConnector(settings, { fetch }), map: (payload) => mapJiraIssue(payload, { siteUrl: config.siteUrl, milestones: config.milestones, flaggedField: config.flaggedField }) };
    }
    case "linear": {
      const connector = createLinearConnector({ ...source.settings, apiKey: secret } as never, { fetch });
      return { connector, map: (payload) => connector.map(payload) };
    }
    default:
      throw new AppError("INVALID_INPUT", `source ${source.name}: kind must be one of ${TRACKER_KINDS.join(", ")}, not "${source.kind}"`, [{ where: "kind", message: "unknown kind" }]);
  }
}
