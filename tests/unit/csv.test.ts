import { describe, expect, it } from "vitest";
import { toCsv } from "../../lib/client/csv";

describe("toCsv", () => {
  it("writes a header and one line per row, quoting commas and quotes", () => {
    expect(toCsv(["key", "title"], [{ key: "A-1", title: 'Fix "login", again' }])).toBe('key,title\nA-1,"Fix ""login"", again"\n');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    const csv = toCsv(["title"], [
      { title: '=HYPERLINK("http://evil.example","click")' },
      { title: "+1+2" },
      { title: "-2+3" },
      { title: "@SUM(A1)" },
      { title: "\tTAB" },
      { title: "\rCR" },
    ]);
    expect(csv.split("\n").slice(1, 6)).toEqual(['"\'=HYPERLINK(""http://evil.example"",""click"")"', "'+1+2", "'-2+3", "'@SUM(A1)", "'\tTAB"]);
    expect(csv).toContain('"\'\rCR"');
  });

  it("keeps negative numbers and empty cells as they are", () => {
    expect(toCsv(["delta", "note"], [{ delta: -3, note: null }, { delta: 2 }])).toBe("delta,note\n-3,\n2,\n");
  });
});
