import { formatUtcSecond } from "../../lib/time/format";

export interface TokenRowView {
  id: number;
  name: string;
  prefix: string;
  scopes: readonly string[];
  owner: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}


/** API tokens with their scopes, when made and last used, and a Revoke button while live. */
export function TokenList({ tokens, revoke, showOwner, testId }: { tokens: readonly TokenRowView[]; revoke: (form: FormData) => Promise<void>; showOwner?: boolean; testId?: string }) {
  return (
    <ul className="tokens" data-testid={testId}>
      {tokens.map((t) => (
        <li key={t.id}>
          <strong>{t.name}</strong> <code>{t.prefix}…</code>{" "}
          <span className="muted">
            {t.scopes.join(", ") || "no scopes"}
            {showOwner ? ` · ${t.owner ?? "no owner (made before accounts; no longer works)"}` : ""} · created {formatUtcSecond(t.createdAt)}, last used {formatUtcSecond(t.lastUsedAt)}
          </span>{" "}
          {t.revokedAt ? (
            <span className="muted">revoked {formatUtcSecond(t.revokedAt)}</span>
          ) : (
            <form action={revoke} style={{ display: "inline" }}>
              <input type="hidden" name="id" value={t.id} />
              <button type="submit">Revoke</button>
            </form>
          )}
        </li>
      ))}
    </ul>
  );
}
