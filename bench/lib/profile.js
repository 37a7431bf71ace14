"use strict";
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) as self time per
 * function, mapping frames of the judgeval build back to lib/*.ts lines
 * through the build's source maps.
 */
const fs = require("node:fs");
const path = require("node:path");
const { SourceMap } = require("node:module");
const { fileURLToPath } = require("node:url");

const REPO = path.resolve(__dirname, "..", "..");

/**
 * @param {string} file the .cpuprofile
 * @param {{ pkgDir?: string }} options pkgDir: where the judgeval build under test was loaded from
 */
function summarizeProfile(file, { pkgDir } = {}) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const maps = new Map();
  const frames = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    total += us;
    const where = locate(callFrame, maps, pkgDir);
    const name = callFrame.functionName || "(anonymous)";
    const key = `${name}\u0000${where.location}`;
    const entry = frames.get(key) ?? { function: name, location: where.location, area: where.area, selfMs: 0 };
    entry.selfMs += us / 1000;
    frames.set(key, entry);
  }
  const rows = [...frames.values()].sort((a, b) => b.selfMs - a.selfMs);
  for (const row of rows) row.percent = total > 0 ? (100 * row.selfMs * 1000) / total : 0;
  const areas = {};
  for (const row of rows) areas[row.area] = (areas[row.area] ?? 0) + row.percent;
  return { totalMs: total / 1000, idleMs: idle / 1000, rows, areas };
}

/** Where a frame lives: lib/… .ts line for our build, else a short module path. */
function locate(callFrame, maps, pkgDir) {
  const { url, lineNumber, columnNumber } = callFrame;
  if (!url) return { location: "", area: callFrame.functionName.startsWith("(") ? callFrame.functionName : "native / V8" };
  let file = url;
  if (url.startsWith("file://")) file = fileURLToPath(url);
  if (url.startsWith("node:")) return { location: url, area: "Node.js internals" };
  const ourBuild = pkgDir && file.startsWith(pkgDir + path.sep);
  const distBuild = file.startsWith(path.join(REPO, "dist") + path.sep);
  if (ourBuild || distBuild) {
    const mapped = mapToSource(file, lineNumber, columnNumber, maps, ourBuild ? pkgDir : undefined);
    if (mapped) return { location: mapped, area: "judgeval (lib/)" };
    return { location: `${path.relative(REPO, file)}:${lineNumber + 1}`, area: "judgeval (lib/)" };
  }
  const nm = file.lastIndexOf(`node_modules${path.sep}`);
  if (nm >= 0) {
    const rest = file.slice(nm + "node_modules/".length);
    const parts = rest.split(path.sep);
    const pkg = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
    const area = file.includes(`judgeval-official${path.sep}`)
      ? "judgeval-official"
      : pkg.startsWith("@opentelemetry/")
        ? "@opentelemetry/*"
        : pkg;
    return { location: `${rest}:${lineNumber + 1}`, area };
  }
  return { location: `${path.relative(REPO, file)}:${lineNumber + 1}`, area: "bench / other" };
}

/** Maps a generated position to `lib/x.ts:line` using the .js.map next to the file. */
function mapToSource(file, line, column, maps, pkgDir) {
  let map = maps.get(file);
  if (map === undefined) {
    map = null;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
    } catch {}
    maps.set(file, map);
  }
  if (!map) return undefined;
  const entry = map.findEntry(line, column);
  if (!entry || !entry.originalSource) return undefined;
  // Sources are relative to the file's place in dist/cjs; a snapshot keeps the same layout.
  const distFile = pkgDir ? path.join(REPO, "dist", "cjs", path.relative(pkgDir, file)) : file;
  const source = entry.originalSource.startsWith("file://")
    ? fileURLToPath(entry.originalSource)
    : path.resolve(path.dirname(distFile), entry.originalSource);
  return `${path.relative(REPO, source)}:${entry.originalLine + 1}`;
}

module.exports = { summarizeProfile };
