// Which external sign-in providers this server is configured for. Apart from next-auth.ts so that
// the CLI and services can ask without loading the Next.js runtime.
import { env } from "../env";

export interface SignInProvider {
  id: string;
  name: string;
}

/** The external providers this server is configured for (buttons on the sign-in page). */
export function externalProviders(): SignInProvider[] {
  const e = env();
  const list: SignInProvider[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) list.push({ id: "oidc", name: e.AUTH_OIDC_NAME });
  return list;
}
