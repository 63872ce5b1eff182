import { describe, expect, it } from "vitest";
import { readJsonBody } from "../../lib/services/request-body";

describe("reading a capped request body", () => {
  it("refuses from its Content-Length, before reading a byte", async () => {
    let pulled = false;
    const body = new ReadableStream(
      {
        pull(controller) {
          pulled = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request("http://localhost/api", { method: "POST", body, headers: { "content-length": "100000000" }, duplex: "half" } as RequestInit);
    await expect(readJsonBody(request, 1024)).rejects.toMatchObject({ code: "TOO_LARGE", status: 413 });
    expect(pulled).toBe(false);
  });

  it("cuts off a body without a length once it grows past the cap", async () => {
    const chunk = new TextEncoder().encode("x".repeat(600));
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        sent++;
        if (sent > 10) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api", { method: "POST", body, duplex: "half" } as RequestInit);
    await expect(readJsonBody(request, 1024)).rejects.toMatchObject({ code: "TOO_LARGE" });
    expect(sent).toBeLessThan(10);
  });

  it("parses JSON within the cap, and names the body when it is not JSON", async () => {
    expect(await readJsonBody(new Request("http://localhost/api", { method: "POST", body: '{"points":[]}' }), 1024)).toEqual({ points: [] });
    await expect(readJsonBody(new Request("http://localhost/api", { method: "POST", body: "nope" }), 1024)).rejects.toMatchObject({ code: "INVALID_INPUT", details: [{ where: "body", message: "not JSON" }] });
  });
});
