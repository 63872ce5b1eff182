import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** authSecret() in a process of its own, with exactly these variables. */
async function authSecretWith(env: Record<string, string>) {
  const script = 'import("./lib/env.ts").then((m) => { process.stdout.write(m.authSecret()); }).catch((e) => { process.stdout.write("ERR " + e.message); })';
  const { stdout } = await run(process.execPath, ["--import", "tsx", "-e", script], { env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv });
  return stdout;
}

describe("AUTH_SECRET", () => {
  it("is required outside development, with a message that says what to do", async () => {
    expect(await authSecretWith({ NODE_ENV: "production" })).toMatch(/^ERR AUTH_SECRET is not set: .*openssl rand -base64 33/);
    expect(await authSecretWith({ NODE_ENV: "production", AUTH_SECRET: "short" })).toMatch(/^ERR Invalid environment: AUTH_SECRET: AUTH_SECRET must be at least 32 characters/);
    const secret = "a".repeat(40);
    expect(await authSecretWith({ NODE_ENV: "production", AUTH_SECRET: secret })).toBe(secret);
  });

  it("has a fixed development key so `npm run dev` works out of the box", async () => {
    expect(await authSecretWith({ NODE_ENV: "development" })).toMatch(/^throughline-development-only/);
  });
});
