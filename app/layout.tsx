import type { Metadata } from "next";
import localFont from "next/font/local";
import Link from "next/link";
import "./globals.css";
import { Providers } from "./providers";

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

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Throughline
          </Link>
          <nav className="nav" aria-label="Main">
            <Link href="/">Teams</Link>
            <Link href="/outcomes">Outcomes</Link>
            <Link href="/kpis">KPIs</Link>
            <Link href="/settings">Settings</Link>
          </nav>
        </header>
        <main className="page">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
