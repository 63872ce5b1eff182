import { describe, expect, it } from "vitest";
import { describeSyncCounts, settingsFromForm } from "../../lib/views/source-form";

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe("settingsFromForm", () => {
  it("takes the chosen kind's fields only, nests dotted paths, splits lists, reads yes/no and leaves empty fields out", () => {
    const settings = settingsFromForm(
      form([
        ["kind", "github"],
        ["name", "payments-gh"],
        ["jira.siteUrl", "https://x.atlassian.net"],
        ["github.owner", " acme "],
        ["github.repo", "payments"],
        ["github.baseUrl", ""],
        ["github.inProgress.label", "doing"],
        ["github.inProgress.assignment", "false"],
        ["github.blockerLabels", "blocked, waiting ,,"],
      ]),
    );
    expect(settings).toEqual({ owner: "acme", repo: "payments", inProgress: { label: "doing", assignment: false }, blockerLabels: ["blocked", "waiting"] });
  });

  it("ignores a field whose path goes through __proto__, constructor or an empty key, and writes onto no prototype", () => {
    const settings = settingsFromForm(
      form([
        ["kind", "jira"],
        ["jira.__proto__.polluted", "yes"],
        ["jira.constructor.prototype.polluted", "yes"],
        ["jira..jql", "x"],
        ["jira.jql", "project = SP"],
      ]),
    );
    expect(settings).toEqual({ jql: "project = SP" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("gives nothing for an unknown kind", () => {
    expect(settingsFromForm(form([["kind", "trello"], ["jira.jql", "project = SP"]]))).toEqual({});
  });
});

describe("describeSyncCounts", () => {
  it("names every layer, calling cleaned records repaired", () => {
    expect(describeSyncCounts({ fetched: 5, mapped: 4, stored: 3, unchanged: 1, skipped: 1, deleted: 2, cleaned: 7 })).toBe("fetched 5, mapped 4, stored 3, unchanged 1, skipped 1, deleted 2, repaired 7");
  });
});
