// The only reader of process.env: every setting is validated once, here.
import { z } from "zod";

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// URL" }).optional()),
  /** The checkout's folder (bin/throughline sets it, so the CLI works from any folder). */
  THROUGHLINE_HOME: z.string().trim().min(1).default(process.cwd()),
  /** Where the embedded database keeps its files, relative to THROUGHLINE_HOME. */
  THROUGHLINE_DATA_DIR: z.string().trim().min(1).default(".data"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(`Invalid environment: ${first?.path.join(".")}: ${first?.message}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** A secret named by the user (e.g. an import schedule's auth header), read at the moment of use. */
export function secretFromEnv(name: string): string | undefined {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) return undefined;
  return process.env[name] || undefined;
}

/** "off" keeps the app from running scheduled imports (when a separate `npm run worker` does). */
export function schedulerMode(): "on" | "off" {
  return process.env.THROUGHLINE_SCHEDULER === "off" ? "off" : "on";
}
