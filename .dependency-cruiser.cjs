/**
 * The layers of lib/, bottom to top; a module imports only from its own layer or below.
 * dev/ (the `judgeval/dev` entry) stands apart and takes only wire/ from the SDK.
 */
const LAYERS = [
  ["wire", "diag", "otel"],
  ["serialize", "context", "pricing"],
  ["api", "propagation", "pipeline"],
  ["llm", "offline", "integrations"],
  ["tracer"],
  ["serverless", "testing", "experiment"],
];

const folders = (names) => `^lib/(${names.join("|")})/`;
const above = (level) => LAYERS.slice(level + 1).flat();

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle ties modules that should stand alone.",
      from: { path: "^lib/" },
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).map((names, level) => ({
      name: `layer-${level}-imports-upward`,
      severity: "error",
      comment: `${names.join(", ")} may import only from their layer or below.`,
      from: { path: folders(names) },
      to: { path: `${folders(above(level))}|^lib/index\\.ts$` },
    })),
    {
      name: "sdk-imports-dev",
      severity: "error",
      comment: "The SDK never loads the local backend, its store or viewer.",
      from: { path: "^lib/", pathNot: "^lib/dev/" },
      to: { path: "^lib/dev/" },
    },
    {
      name: "dev-imports-sdk",
      severity: "error",
      comment: "dev/ takes from the SDK only the wire format (keys, paths, version).",
      from: { path: "^lib/dev/" },
      to: { path: "^lib/", pathNot: "^lib/(dev|wire)/" },
    },
    {
      name: "sdk-entry-loads-integration",
      severity: "error",
      comment: "Integrations are subpath entries; the SDK entry and the layers beneath never load them.",
      from: { path: "^lib/", pathNot: "^lib/integrations/" },
      to: { path: "^lib/integrations/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: { path: "^lib/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^lib/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["es6", "cjs"],
  },
};
