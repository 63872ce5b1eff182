import { describe, expect, it } from "vitest";
import { detailsFromZod } from "../../lib/errors";
import { WorkItemInput } from "../../lib/ingest/history-schema";

const item = (url: unknown) => ({
  key: "PAY-1",
  title: "Card payments",
  type: "story",
  created_at: "2026-03-01T09:00:00Z",
  url,
  transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }],
});

describe("WorkItemInput url", () => {
  it("accepts http and https links, or none", () => {
    for (const url of ["https://tracker.example.com/PAY-1", "http://tracker.local:8080/browse/PAY-1", null, undefined]) {
      expect(WorkItemInput.safeParse(item(url)).success).toBe(true);
    }
  });

  it("refuses any other scheme, naming the field", () => {
    for (const url of ["data:text/html,<script>alert(1)</script>", "javascript:alert(1)", "JavaScript:alert(1)", "ftp://files.example.com/a", "vbscript:msgbox(1)"]) {
      const parsed = WorkItemInput.safeParse(item(url));
      expect(parsed.success, url).toBe(false);
      if (!parsed.success) expect(detailsFromZod(parsed.error, "items[3]")).toEqual([{ where: "items[3].url", message: "must be an http(s) URL" }]);
    }
  });
});
