// The Linear tracker connector: one team's issues, their state history, blocked-by relations and
// projects or cycles. It fetches and maps; it never touches the database.
import "server-only";
import { invalidInput } from "../../errors";
import type { MappedRecord, TrackerConnector } from "../tracker";
import { LinearConfig, type LinearConfigInput } from "./api-types";
import { LinearApi, type LinearDeps } from "./client";
import { mapLinearIssue, toTrackerStatus } from "./mapper";

export { DEFAULT_LINEAR_API_URL, LinearConfig, type LinearConfigInput } from "./api-types";
export type { LinearDeps } from "./client";
export { DEFAULT_TYPE, mapLinearIssue, toTrackerStatus, type LinearMapperConfig } from "./mapper";

export interface LinearConnector extends TrackerConnector {
  kind: "linear";
  /** The configuration as parsed (defaults filled in). */
  config: LinearConfig;
  /** `mapLinearIssue` under this connector's configuration. */
  map(payload: unknown): MappedRecord;
}

/** A connector for the configured team; the config is checked here (INVALID_INPUT naming the field). */
export function createLinearConnector(input: LinearConfigInput, deps: LinearDeps): LinearConnector {
  const parsed = LinearConfig.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const config = parsed.data;
  const api = new LinearApi(config, deps);

  // Everything is scoped by the team's id, resolved once: a key can be renamed, and a filter on a
  // key nobody has any more would list no issues, which would read as "all of them deleted".
  let teamId: Promise<string> | null = null;
  const resolveTeam = (signal?: AbortSignal) => {
    teamId ??= api.team(signal).then(
      ({ team }) => team.id,
      (error: unknown) => {
        teamId = null;
        throw error;
      },
    );
    return teamId;
  };

  return {
    kind: "linear",
    config,
    map: (payload) => mapLinearIssue(payload, config),
    async testConnection() {
      const { team, viewer } = await api.team();
      teamId = Promise.resolve(team.id);
      return { description: `Linear team ${team.key} (${team.name}), read as ${viewer.name}` };
    },
    async listStatuses() {
      return (await api.workflowStates(await resolveTeam())).map(toTrackerStatus);
    },
    async *fetchPages(options) {
      yield* api.issuePages(await resolveTeam(options.signal), options);
    },
    async listIds(signal) {
      return api.issueIds(await resolveTeam(signal), signal);
    },
  };
}
