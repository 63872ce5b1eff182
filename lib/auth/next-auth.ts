// Sign-in with Auth.js (next-auth v5): email + password, "Explore the demo", and GitHub or a
// generic OIDC provider when their variables are set. Sessions are signed JWT cookies, so they work
// the same on both database engines and on any number of app instances; the user row is re-read on
// every request (lib/auth/actors.ts), so a disabled account or a changed role counts at once.
import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { getDatabase } from "../db/client";
import { getUserByEmail } from "../db/queries/users";
import { authSecret, env } from "../env";
import { AppError } from "../errors";
import { clientAddressOf, limitPasswordSignIn } from "../services/rate-limit";
import { ANONYMOUS } from "./permissions";
import { isDemoOffered } from "./actors";
import { verifyPassword } from "./passwords";

declare module "next-auth" {
  interface Session {
    /** Our users.id; absent for the demo visitor. */
    uid?: number;
    demo?: boolean;
  }
}

interface SessionToken {
  uid?: number;
  demo?: boolean;
}

/** Too many attempts for an email or from an address: refused before any password is checked. */
export class TooManySignIns extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly detail: string) {
    super(detail);
  }
}

/** An active account for this email and password, or null; the same time either way. */
export async function verifyCredentials(email: string, password: string) {
  const { db } = await getDatabase();
  const user = await getUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  return ok && user && !user.disabledAt ? user : null;
}

function config(): NextAuthConfig {
  const e = env();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "password",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const email = typeof credentials?.email === "string" ? credentials.email : "";
        const password = typeof credentials?.password === "string" ? credentials.password : "";
        if (!email || !password || password.length > 1024) return null;
        // Here, not in the form's action: Auth.js's own callback endpoint reaches this too.
        const database = await getDatabase();
        try {
          await limitPasswordSignIn({ db: database.db, engine: database.engine, actor: ANONYMOUS, now: new Date() }, email, clientAddressOf(request.headers));
        } catch (error) {
          if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") throw new TooManySignIns(error.message);
          throw error;
        }
        const user = await verifyCredentials(email, password);
        return user ? { id: String(user.id), name: user.name, email: user.email } : null;
      },
    }),
    Credentials({
      id: "demo",
      name: "Explore the demo",
      credentials: {},
      async authorize() {
        const database = await getDatabase();
        return (await isDemoOffered(database.db, database.engine)) ? { id: "demo", name: "Demo visitor" } : null;
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) {
    providers.push({ id: "oidc", name: e.AUTH_OIDC_NAME, type: "oidc", issuer: e.AUTH_OIDC_ISSUER, clientId: e.AUTH_OIDC_ID, clientSecret: e.AUTH_OIDC_SECRET });
  }
  return {
    secret: authSecret(),
    // The host is checked before any request gets here (proxy.ts, THROUGHLINE_HOSTS).
    trustHost: true,
    session: { strategy: "jwt", maxAge: 14 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    // One line per problem, no stack and nothing a request carried (a password, a token).
    logger: {
      error(error) {
        if (error.name === "CredentialsSignin") return;
        console.error(`[auth] ${error.name}`);
      },
      warn(code) {
        console.warn(`[auth] warning ${code}`);
      },
      debug() {},
    },
    providers,
    callbacks: {
      // GitHub and OIDC sign in only people an admin has added (matched by their email).
      async signIn({ account, profile, user }) {
        if (!account || account.type === "credentials") return true;
        const email = (profile?.email ?? user.email ?? "").toLowerCase();
        if (!email || (account.provider === "oidc" && profile?.email_verified === false)) return "/signin?error=NoAccount";
        const { db } = await getDatabase();
        const found = await getUserByEmail(db, email);
        return found && !found.disabledAt ? true : "/signin?error=NoAccount";
      },
      async jwt({ token, user, account }) {
        const t = token as typeof token & SessionToken;
        if (!account || !user) return t;
        if (account.provider === "demo") return { ...t, demo: true, uid: undefined };
        if (account.type === "credentials") return { ...t, uid: Number(user.id), demo: undefined };
        const { db } = await getDatabase();
        const found = await getUserByEmail(db, (user.email ?? "").toLowerCase());
        return { ...t, uid: found?.id, demo: undefined };
      },
      session({ session, token }) {
        const t = token as typeof token & SessionToken;
        return { ...session, uid: t.uid, demo: t.demo };
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
