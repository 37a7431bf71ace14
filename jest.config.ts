import type { Config } from "jest";

const config: Config = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  transform: {
    "^.+\\.[tj]s$": ["ts-jest", { isolatedModules: true, tsconfig: { allowJs: true } }],
  },
  // superjson and its helpers ship ESM only, and the OTLP exporter loads `http` with a dynamic
  // import() that jest's CommonJS sandbox refuses: compiling both to CommonJS fixes each.
  transformIgnorePatterns: ["/node_modules/(?!(superjson|copy-anything|is-what|@opentelemetry/otlp-exporter-base)/)"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  setupFilesAfterEnv: ["<rootDir>/spec/support/teardown.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
};

export default config;
