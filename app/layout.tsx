import type { Metadata } from "next";
import localFont from "next/font/local";
import Link from "next/link";
import { connection } from "next/server";
import { AccountMenu } from "@/components/auth/account-menu";
import { getNavigation } from "@/lib/services/accounts";
import { publicPageContext } from "@/lib/services/entries";
import "./globals.css";
import { Providers } from "./providers";
import { signOutAction } from "./signin/actions";

// Shipped with the app (from @fontsource-variable/inter): nothing is fetched at run time.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Throughline", template: "%s · Throughline" },
  description: "Engineering flow and business outcomes, for teams that work asynchronously.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Who is signed in is known only at request time: never prerendered at build (which would also
  // open the embedded database from the build process).
  await connection();
  const nav = getNavigation(await publicPageContext());
  return (
    <html lang="en" className={inter.variable}>
      <body>
        {/* No prefetching: every page is rendered per reader, so a prefetch would render, on the
            same server, pages the reader most likely never opens (and there is no loading.js
            shell to gain). */}
        <header className="topbar">
          <Link href="/" className="brand" prefetch={false}>
            Throughline
          </Link>
          {nav.name !== null ? (
            <nav className="nav" aria-label="Main">
              <Link href="/" prefetch={false}>Teams</Link>
              <Link href="/outcomes" prefetch={false}>Outcomes</Link>
              <Link href="/kpis" prefetch={false}>KPIs</Link>
            </nav>
          ) : null}
          <AccountMenu {...nav} signOut={signOutAction} />
        </header>
        {nav.demo ? (
          <p className="demo-banner" data-testid="demo-banner">
            You are exploring the demo as a read-only visitor: nothing can be changed. Leave the demo (top right) to sign in with an account.
          </p>
        ) : null}
        <main className="page">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
