import type { Config } from "jest";

/** What every project shares: TypeScript through ts-jest, the ESM-only dependencies compiled. */
const common: Config = {
  testEnvironment: "<rootDir>/spec/support/environment.ts",
  transform: {
    "^.+\\.c?[tj]s$": ["ts-jest", { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  // superjson and its helpers ship ESM only, and the OTLP exporter loads `http` with a dynamic
  // import() that jest's CommonJS sandbox refuses: compiling both to CommonJS fixes each.
  transformIgnorePatterns: ["/node_modules/(?!(superjson|copy-anything|is-what|@opentelemetry/otlp-exporter-base)/)"],
  // `judgeval` and its subpath entries map to the sources, for specs written as users import them.
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
    "^judgeval$": "<rootDir>/lib/index.ts",
    "^judgeval/(dev|serverless|testing|experiment)$": "<rootDir>/lib/$1/index.ts",
  },
  setupFilesAfterEnv: ["<rootDir>/spec/support/teardown.ts"],
};

/**
 * Four projects: `unit` (spec/ mirrors lib/), `e2e` (whole processes, packages, browsers,
 * servers), `stress` (large runs), `edge` (the edge runtimes: `npm run test:edge`), `toolchains` (apps built
 * and tested with real frameworks, compilers and test runners installed from npm: `npm run test:toolchains`).
 * `npm test` runs unit and e2e; CI runs each.
 */
const config: Config = {
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: "unit",
      roots: ["<rootDir>/spec"],
      testMatch: ["**/*.spec.ts"],
      testPathIgnorePatterns: ["/spec/e2e/", "/spec/stress/", "/spec/toolchains/", "/spec/edge/"],
    },
    { ...common, displayName: "e2e", roots: ["<rootDir>/spec/e2e"], testMatch: ["**/*.spec.ts"] },
    { ...common, displayName: "stress", roots: ["<rootDir>/spec/stress"], testMatch: ["**/*.spec.ts"] },
    { ...common, displayName: "toolchains", roots: ["<rootDir>/spec/toolchains"], testMatch: ["**/*.spec.ts"] },
    // Cloudflare's workerd and the Vercel Edge runtime, from npm (`npm run test:edge`; needs the build)
    { ...common, displayName: "edge", roots: ["<rootDir>/spec/edge"], testMatch: ["**/*.spec.ts"] },
  ],
};

export default config;
