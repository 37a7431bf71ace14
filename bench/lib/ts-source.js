"use strict";
/**
 * Preload for the TypeScript benchmarks, which run against the sources in lib/:
 *   node -r ./bench/lib/ts-source.js bench/<name>.bench.ts
 * It registers ts-node (transpile only) and lets a relative `./x.js` with no such file resolve to
 * `./x.ts`, as the sources import each other. ts-node does that only with its experimental
 * resolver, which fails on Node 22; Node's public resolve hook (22.15+) does not.
 */
const { registerHooks } = require("node:module");

require("ts-node").register({ transpileOnly: true });

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (!/^\.{1,2}\/.*\.js$/.test(specifier)) throw err;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
