import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError, toErrorResponse } from "../../lib/errors";

afterEach(() => vi.restoreAllMocks());

describe("the error envelope", () => {
  it("answers an AppError with its status, code and details", async () => {
    const response = toErrorResponse(new AppError("TOO_LARGE", "too big", [{ where: "body", message: "too large" }]));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "too big", code: "TOO_LARGE", details: [{ where: "body", message: "too large" }] });
  });

  it("logs an unexpected error without its message or properties, and leaks nothing", async () => {
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    // What postgres.js throws for a failed query: the parameters ride along on the error.
    const failure = Object.assign(new Error('invalid input syntax for type uuid: "tl_secret-token-value"'), {
      name: "PostgresError",
      code: "22P02",
      query: "select * from api_tokens where token_hash = $1",
      parameters: ["tl_secret-token-value"],
    });
    const response = toErrorResponse(failure);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "Something went wrong on our side.", code: "INTERNAL", details: [] });
    expect(logged.join("\n")).toMatch(/^internal error: PostgresError \(22P02\)/);
    expect(logged.join("\n")).not.toContain("tl_secret");
    expect(logged.join("\n")).not.toContain("api_tokens");
  });
});
