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
  /**
   * Signs session cookies. Required outside development; in development a fixed key is used so
   * `npm run dev` works out of the box (sessions there are not secret).
   */
  AUTH_SECRET: z.string().trim().min(32, { error: "AUTH_SECRET must be at least 32 characters (openssl rand -base64 33)" }).optional(),
  /** "1": offer "Explore the demo" (read-only) on Postgres too; on the embedded demo it is on already. */
  THROUGHLINE_DEMO: z
    .enum(["0", "1", ""])
    .optional()
    .transform((v) => v === "1"),
  /** Sign-in with GitHub, when both are set. */
  AUTH_GITHUB_ID: z.string().trim().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().trim().min(1).optional(),
  /** A generic OpenID Connect provider, when issuer, id and secret are set. */
  AUTH_OIDC_ISSUER: z.url({ error: "AUTH_OIDC_ISSUER must be the issuer's URL" }).optional(),
  AUTH_OIDC_ID: z.string().trim().min(1).optional(),
  AUTH_OIDC_SECRET: z.string().trim().min(1).optional(),
  AUTH_OIDC_NAME: z.string().trim().min(1).default("Single sign-on"),
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
  /**
   * Host names the app answers to (comma-separated; `name` on any port, `name:port` on that one);
   * any other Host header gets a 400, so a DNS-rebound name reads nothing. next.config.mjs reads it too.
   */
  THROUGHLINE_HOSTS: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v : "localhost,127.0.0.1").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))
    .refine((list) => list.every((h) => /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?)(?::\d{1,5})?$/.test(h)), {
      error: "must list host names or host:port, e.g. dash.example.com,localhost",
    }),
  /**
   * The app's public address (http(s)), for the links of mailed and posted digests; the page's
   * links are relative and need none. Unset: digest delivery refuses, naming this variable.
   */
  THROUGHLINE_PUBLIC_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, "") : undefined))
    .pipe(z.url({ protocol: /^https?$/, error: "THROUGHLINE_PUBLIC_URL must be an http(s) URL, e.g. https://flow.example.com" }).optional()),
  /** The mail server digests go through: smtp://user:password@host:587 or smtps://…:465. Unset: no email. */
  THROUGHLINE_SMTP_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url({ protocol: /^smtps?$/, error: "THROUGHLINE_SMTP_URL must be an smtp:// or smtps:// URL" }).optional()),
  /** The From of digest mail, e.g. "Throughline <flow@example.com>". */
  THROUGHLINE_MAIL_FROM: z.string().trim().min(3).optional(),
  /** Who may frame the pages: a CSP frame-ancestors list, e.g. "'self' https://wiki.example.com". */
  THROUGHLINE_FRAME_ANCESTORS: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim().split(/[\s,]+/) : ["'none'"]).map((s) => (/^(none|self)$/i.test(s) ? `'${s.toLowerCase()}'` : s)))
    .refine((list) => list.length === 1 || !list.includes("'none'"), { error: "'none' cannot be combined with other sources" })
    .refine((list) => list.every((s) => /^('none'|'self'|https?:|(https?:\/\/)?(\*\.)?[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?(:(\d{1,5}|\*))?)$/i.test(s)), {
      error: "must be 'none', 'self' or origins such as https://wiki.example.com",
    }),
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

const DEVELOPMENT_AUTH_SECRET = "throughline-development-only-not-a-secret-0000";

/** The key that signs sessions: AUTH_SECRET, required outside development (a clear start-up error). */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET is not set: sessions cannot be signed. Set it to a random value of 32 or more characters, e.g. `openssl rand -base64 33`.");
  }
  return DEVELOPMENT_AUTH_SECRET;
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
