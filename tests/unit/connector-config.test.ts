// A tracker's settings as an admin types them: a malformed URL gets the field's own message.
import { describe, expect, it } from "vitest";
import { parseGitHubConfig } from "../../lib/connectors/github";
import { parseJiraConfig } from "../../lib/connectors/jira";

describe("tracker settings with a malformed URL", () => {
  it("Jira names siteUrl and says what it must be", () => {
    expect(() => parseJiraConfig({ siteUrl: "not a url", email: "bot@example.com", apiToken: "t", jql: "project = SP" })).toThrow(/^Jira settings: siteUrl: must be an http\(s\) URL/);
  });
  it("GitHub names baseUrl and says what it must be", () => {
    expect(() => parseGitHubConfig({ baseUrl: "github dot com", token: "t", owner: "acme", repo: "api" })).toThrow(/baseUrl: must be an http\(s\) URL/);
  });
  it("a URL with a password is still refused", () => {
    expect(() => parseJiraConfig({ siteUrl: "https://u:p@x.atlassian.net", email: "bot@example.com", apiToken: "t", jql: "project = SP" })).toThrow(/siteUrl: must hold no user name, password/);
  });
});
