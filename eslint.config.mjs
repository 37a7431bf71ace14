// Type-aware lint of the sources, specs, benchmarks and examples.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "bench/peers/**",
      "bench/official/**",
      "bench/.build/**",
      "coverage/**",
      // A Next.js app, linted and type-checked by the next build that spec/toolchains/ runs.
      "spec/fixtures/toolchains/next/**",
      "**/*.cjs",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      // A user's rejection reason is passed on as it was, Error or not.
      "@typescript-eslint/prefer-promise-reject-errors": "off",
    },
  },
  {
    // Modules loaded on first use: only our own, by a relative literal path, so bundlers still see
    // them, and only inside a lazy() loader (lib/diag/lazy.ts), which absorbs a failure to load; a
    // package is always a static import.
    files: ["lib/**"],
    rules: {
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^\\.\\.?/.*\\.js$"] }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='require']:not(CallExpression[callee.name='lazy'] > ArrowFunctionExpression *)",
          message: "Load a module on first use through lazy() (lib/diag/lazy.ts), or import it.",
        },
      ],
    },
  },
  {
    // OpenTelemetry's SDK is bundled into the build through lib/otel/ (docs/architecture.md,
    // "OpenTelemetry inside"): only the API, the app's own copy, is imported elsewhere.
    files: ["lib/**"],
    ignores: ["lib/otel/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^@opentelemetry/(?!api$)", message: "Import OpenTelemetry's SDK through lib/otel/ (it is bundled)." }] },
      ],
    },
  },
  {
    // Reading any function's parameter list and labelling any function is the job here.
    files: ["lib/api/params/**", "lib/serialize/markers.ts", "spec/api/params/**"],
    rules: { "@typescript-eslint/no-unsafe-function-type": "off" },
  },
  {
    files: ["spec/**", "bench/**", "examples/**"],
    rules: {
      // Tests read decoded spans and provider payloads whose shape they assert.
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/require-await": "off",
      // Specs build functions from source text to test the parameter reader and the viewer script.
      "@typescript-eslint/no-implied-eval": "off",
    },
  },
);
