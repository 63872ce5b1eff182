// The one setting read here, not through lib/env.ts: Node loads this file as plain JavaScript, so
// it cannot import that TypeScript module (which validates THROUGHLINE_HOSTS when the app starts).
const hosts = (process.env.THROUGHLINE_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded from node_modules by Node, not bundled: PGlite ships WebAssembly and data files, argon2 a
  // native addon. The trackers' clients, undici, pg-boss and nodemailer are server-only and large
  // (Linear's SDK alone is 3 MB of source): bundled, each route's chunks held a copy of its own, and
  // `next start`, which loads every route at start, kept five of them.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "postgres",
    "@node-rs/argon2",
    "@linear/sdk",
    "@octokit/rest",
    "@octokit/plugin-retry",
    "@octokit/plugin-throttling",
    "undici",
    "pg-boss",
    "nodemailer",
  ],
  poweredByHeader: false,
  // Security headers and the Host check are in proxy.ts (read at start-up, not fixed at build time).
  experimental: {
    // Fewer, larger browser chunks (Turbopack merges chunks below this size, in unminified bytes;
    // default 50,000): the dashboard's first screen came in 16 files, each gzipped on its own, and
    // fetched 302 KB; in 11 it is 298 KB (a shared view's, 163 → 160 KB). The cost: a merged chunk
    // holds code of several pages, so moving to another page may fetch some the browser already has.
    turbopackChunking: { minChunkSize: 150_000 },
    // forbidden() answers a page a role may not see with app/forbidden.tsx and status 403.
    authInterrupts: true,
    serverActions: {
      // A page served under one configured host may call actions through another (a reverse proxy
      // that forwards its own Host); same-origin calls need no entry.
      allowedOrigins: hosts,
      // The KPI upload takes files up to 20 MB, plus the multipart framing around them.
      bodySizeLimit: "21mb",
    },
    // With proxy.ts, Next buffers each request body for it and silently cuts it at this size (10 MB by
    // default); above the action limit, so an oversized upload fails on that limit, not as a cut form.
    proxyClientMaxBodySize: "22mb",
  },
};

export default nextConfig;
