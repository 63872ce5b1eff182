import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The one door: pages, routes, actions and components reach data only through lib/services.
const noDatabaseAbove = {
  files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*"], message: "Reach data through lib/services (the one door), not lib/db." },
        ],
      },
    ],
  },
};

// Client components get server actions from their page as props, never by importing app/.
const noActionsInComponents = {
  files: ["components/**/*.{ts,tsx}"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*"], message: "Reach data through lib/services (the one door), not lib/db." },
          { group: ["@/app/*", "**/app/*"], message: "Components take server actions as props from their page." },
        ],
      },
    ],
  },
};

const config = [
  ...nextVitals,
  ...nextTs,
  noDatabaseAbove,
  noActionsInComponents,
  { ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "next-env.d.ts"] },
];

export default config;
