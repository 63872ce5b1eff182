// The only reader of process.env: every setting is validated once, here.
import ipaddr from "ipaddr.js";
import { z } from "zod";

function isAddressOrRange(value: string): boolean {
  return ipaddr.isValid(value) || (() => {
    try {
      ipaddr.parseCIDR(value);
      return true;
    } catch {
      return false;
    }
  })();
}

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
  /** Scheduled file sources must lie in this folder (relative to THROUGHLINE_HOME). */
  THROUGHLINE_IMPORT_DIR: z.string().trim().min(1).default("imports"),
  /**
   * Addresses (IPs or CIDR ranges, comma-separated) a scheduled URL may reach although they are
   * loopback, private or link-local; by default none: the server fetches only public addresses.
   */
  THROUGHLINE_FETCH_ALLOW: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(isAddressOrRange), { error: "must list IP addresses or CIDR ranges, e.g. 10.0.0.0/8,127.0.0.1" }),
  /** The most a scheduled source may send, in bytes (default 20 MiB). */
  THROUGHLINE_FETCH_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** How long a scheduled source may take, in milliseconds. */
  THROUGHLINE_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
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

/** The only variables a user may name as a secret: never DATABASE_URL, AUTH_SECRET, PATH… */
export const SECRET_NAME = /^THROUGHLINE_SECRET_[A-Z0-9_]+$/;

/** A secret named by the user (e.g. an import schedule's auth header), read at the moment of use. */
export function secretFromEnv(name: string): string | undefined {
  if (!SECRET_NAME.test(name)) return undefined;
  return process.env[name] || undefined;
}

/** "off" keeps the app from running scheduled imports (when a separate `npm run worker` does). */
export function schedulerMode(): "on" | "off" {
  return process.env.THROUGHLINE_SCHEDULER === "off" ? "off" : "on";
}
