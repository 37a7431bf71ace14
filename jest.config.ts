import type { Config } from "jest";

const config: Config = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  transform: {
    "^.+\\.c?[tj]s$": ["ts-jest", { isolatedModules: true, tsconfig: { allowJs: true } }],
  },
  // superjson and its helpers ship ESM only, and the OTLP exporter loads `http` with a dynamic
  // import() that jest's CommonJS sandbox refuses: compiling both to CommonJS fixes each.
  transformIgnorePatterns: ["/node_modules/(?!(superjson|copy-anything|is-what|@opentelemetry/otlp-exporter-base)/)"],
  // `judgeval` and its subpath entries, as users import them (in examples written for the docs).
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1", "^judgeval$": "<rootDir>/lib/index.ts", "^judgeval/(dev|serverless|testing)$": "<rootDir>/lib/$1/index.ts" },
  setupFilesAfterEnv: ["<rootDir>/spec/support/teardown.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
};

export default config;
