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

/** Node modules the edge runtimes have too (Workers with nodejs_compat, Vercel Edge). */
const EDGE_HAS = "^(async_hooks|events|buffer)$";
/** The modules of the Node build alone: everything else is shared with the edge build. */
const NODE_ONLY =
  "^lib/(index\\.ts|tracer/node-platform\\.ts|pipeline/(node-transport|http|keep-alive|spool|encode/serializer)\\.ts|otel/otlp\\.ts)$";
/** What an edge bundle loads: the edge entry and the subpaths that run there (docs/runtimes.md). */
const EDGE_ENTRIES = "^lib/(edge\\.ts|serverless/|integrations/(langchain|mcp|openai-agents)/)";

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
      to: { path: `${folders(above(level))}|^lib/(index|edge|public-api)\\.ts$` },
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
      name: "node-only-module-outside-node-build",
      severity: "error",
      comment: `Only ${NODE_ONLY} (the Node build's transport, spool and exits) and dev/ load Node modules the edge runtimes lack.`,
      from: { path: "^lib/", pathNot: `${NODE_ONLY}|^lib/dev/` },
      to: { dependencyTypes: ["core"], pathNot: EDGE_HAS },
    },
    {
      name: "edge-entry-loads-node-build",
      severity: "error",
      comment: "The edge build (Cloudflare Workers, Vercel Edge) never reaches the Node build's transport, spool or exits.",
      from: { path: EDGE_ENTRIES },
      to: { path: NODE_ONLY, reachable: true },
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
    // lib/ and the Node modules it loads (named without `node:` here), for the edge rules
    includeOnly: ["^lib/", "^[a-z_/]+$"],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["es6", "cjs"],
  },
};
