import Link from "next/link";

export interface AccountMenuProps {
  /** Null when nobody is signed in. */
  name: string | null;
  demo: boolean;
  settings: boolean;
  tokens: boolean;
  signOut: () => Promise<void>;
}

/** The top bar's right side: who is signed in, what their role opens, and signing out. */
export function AccountMenu({ name, demo, settings, tokens, signOut }: AccountMenuProps) {
  if (name === null) return null;
  return (
    <div className="account-menu">
      {settings ? <Link href="/settings" prefetch={false}>Settings</Link> : null}
      {tokens ? <Link href="/account" prefetch={false}>Account</Link> : null}
      <span className={demo ? "demo-badge" : "muted"} data-testid="signed-in-as">
        {demo ? "Demo visit (read-only)" : name}
      </span>
      <form action={signOut}>
        <button type="submit" className="link">
          {demo ? "Leave the demo" : "Sign out"}
        </button>
      </form>
    </div>
  );
}
