"use strict";
/**
 * `npm run bench`: builds (via the npm script), then runs every benchmark
 * scenario in its own child process against a snapshot of dist/cjs, captures a
 * CPU profile of each scenario that misses its target, and writes
 * docs/benchmarks.md (plus raw figures in bench/.build/results.json).
 *
 * `npm run bench` then runs the load benchmark (bench/load/run.js), which writes its own section.
 *
 * Environment:
 *   BENCH_QUICK=1          smaller counts, for trying the harness (figures are rough)
 *   BENCH_PROFILE=all      profile every scenario, not only the misses
 *   BENCH_EXTRAS=0         skip the other bench/*.bench.ts scripts (appendix)
 *   BENCH_OUT=path         where to write the report (default docs/benchmarks.md)
 */
const fs = require("node:fs");
const path = require("node:path");
const { fork } = require("node:child_process");
const { describeMachine } = require("./lib/machine.js");
const { summarizeProfile } = require("./lib/profile.js");
const { median, otelSdkVersion } = require("./lib/common.js");
const { writeReport } = require("./lib/report.js");

const ROOT = path.resolve(__dirname, "..");
const BUILD = path.join(__dirname, ".build");
const PKG_DIR = path.join(BUILD, "judgeval");
const PROFILES = path.join(__dirname, ".profiles");
const QUICK = process.env.BENCH_QUICK === "1";
const OUT = path.resolve(ROOT, process.env.BENCH_OUT ?? "docs/benchmarks.md");

/** Sampling interval of the CPU profiles, in µs (V8's default is 1000). */
const PROFILE_INTERVAL_US = 250;
/** Rounds of the profiled (interleaved) @observe vs bare OTel run. */
const PROFILE_OBSERVE_ROUNDS = 6;

const TARGETS = {
  observeVsOtel: 1.0,
  officialVsOurs: 3,
  noCredsAddedNs: 300,
  exportRate: 50_000,
  rssBandMB: 30,
  heapGrowthMB: 2,
  serializeMs: 2,
  startupVsOtel: 1.1,
};

/** Fresh processes per variant for the cold start (interleaved rounds), then for its per-module load times. */
const STARTUP_ROUNDS = QUICK ? 5 : 15;
const STARTUP_MODULE_RUNS = QUICK ? 3 : 7;

/** Counts per scenario; BENCH_QUICK shrinks them. */
const SIZES = QUICK
  ? { observeRound: 10_000, observeRounds: 4, officialRound: 5_000, exportSpans: 200_000, exportWarmup: 20_000, backendSpans: 60_000 }
  : {
      observeRound: 50_000,
      observeRounds: 15,
      officialRound: 20_000,
      exportSpans: 1_000_000,
      exportWarmup: 100_000,
      backendSpans: 250_000,
    };

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Environment of every child: no Judgment credentials from the shell, the build under test. */
function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("JUDGMENT_")) delete env[key];
  return {
    ...env,
    JUDGEVAL_BENCH_PKG: PKG_DIR,
    BENCH_DECORATED_JS: path.join(BUILD, "decorated.js"),
    ...extra,
  };
}

/**
 * Runs a bench script in a child process; resolves with the result it sends
 * over IPC. `profile` adds --cpu-prof and resolves { result, profile }.
 */
function runChild(script, args = [], { env = {}, profile, exposeGc = false, timeoutMs = 180_000 } = {}) {
  const execArgv = exposeGc ? ["--expose-gc"] : [];
  let profileDir;
  if (profile) {
    profileDir = path.join(PROFILES, profile);
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
    execArgv.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`);
  }
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, script), args, { env: childEnv(env), execArgv, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let stderr = "";
    let result;
    child.stdout.on("data", () => {});
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    child.on("message", (msg) => {
      if (msg && msg.result) result = msg.result;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!result) return reject(new Error(`${script} ${args.join(" ")} exited (${signal ?? code}) without a result\n${stderr}`));
      if (result.error) return reject(new Error(`${script} ${args.join(" ")} failed: ${result.error}`));
      if (!profile) return resolve(result);
      const file = fs
        .readdirSync(profileDir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => path.join(profileDir, f))[0];
      resolve({ result, profile: file });
    });
  });
}

/** Starts a helper server process (sink or backend); resolves with what it sends once listening. */
function startServer(script, { execArgv = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, script), [], { env: childEnv(), execArgv, stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    child.once("message", (info) => resolve({ child, info }));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before listening\n${stderr}`)));
  });
}

/** Stops a helper through its IPC channel (it exits on disconnect, writing any CPU profile). */
function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.disconnect();
  });
}

function prepare() {
  const dist = path.join(ROOT, "dist", "cjs", "index.js");
  if (!fs.existsSync(dist)) throw new Error("dist/cjs is missing: run `npm run build` first (npm run bench does).");
  fs.rmSync(BUILD, { recursive: true, force: true });
  fs.mkdirSync(BUILD, { recursive: true });
  snapshotBuild();
  const ts = require("typescript");
  const source = fs.readFileSync(path.join(__dirname, "fixtures", "decorated.ts"), "utf8");
  const { outputText, diagnostics } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: false },
    reportDiagnostics: true,
  });
  if (diagnostics?.length) throw new Error(`decorated.ts: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, "\n")}`);
  fs.writeFileSync(path.join(BUILD, "decorated.js"), outputText);
  return { typescript: ts.version, official: ensureOfficial() };
}

/**
 * The official judgeval package lives in bench/official (its own package.json and lock): its
 * optional peer openai@^6 conflicts with the root's openai@^7, so it cannot be a root dev
 * dependency without --legacy-peer-deps. Installed with `npm ci` on first use.
 */
function ensureOfficial() {
  const dir = path.join(__dirname, "official");
  const manifest = path.join(dir, "node_modules", "judgeval", "package.json");
  const wanted = require(path.join(dir, "package.json")).dependencies.judgeval;
  const installed = () => (fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, "utf8")).version : undefined);
  if (installed() !== wanted) {
    log(`installing the official judgeval ${wanted} into bench/official (npm ci)`);
    const { execFileSync } = require("node:child_process");
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const version = installed();
  if (version === undefined) throw new Error("the official judgeval package could not be installed in bench/official");
  return version;
}

/**
 * Copies dist/cjs to a private place, so a concurrent `npm run build` (which starts with
 * rm -rf dist) cannot pull the package away mid-run. Retries while such a build is rewriting it.
 */
function snapshotBuild() {
  const { execFileSync } = require("node:child_process");
  for (let attempt = 1; ; attempt++) {
    try {
      fs.rmSync(PKG_DIR, { recursive: true, force: true });
      fs.cpSync(path.join(ROOT, "dist", "cjs"), PKG_DIR, { recursive: true });
      execFileSync(process.execPath, ["-e", `require(${JSON.stringify(PKG_DIR)}).Tracer.init`], { stdio: "ignore" });
      return;
    } catch (err) {
      if (attempt >= 10) throw new Error(`could not take a consistent copy of dist/cjs (is a build running?): ${err.message}`);
      log(`dist/cjs is changing (another build?); retrying the copy (${attempt})`);
      execFileSync("sleep", ["3"]);
    }
  }
}

async function resetSink(url) {
  await fetch(`${url}/__reset`, { method: "POST" });
}

// ---------------------------------------------------------------- scenarios

const OBSERVE_VARIANTS = ["otel-bare", "otel-same-data", "ours-observe-fn", "ours-decorator", "official"];

/** A benchmark child driven by messages: `next()` resolves with its next message. */
function spawnDriven(script, args, env) {
  const child = fork(path.join(__dirname, script), args, { env: childEnv(env), stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let stderr = "";
  const inbox = [];
  const waiting = [];
  child.stdout.on("data", () => {});
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const deliver = (msg) => (waiting.length ? waiting.shift().resolve(msg) : inbox.push(msg));
  child.on("message", deliver);
  child.on("exit", (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${script} ${args.join(" ")} exited (${code})\n${stderr}`));
  });
  return {
    child,
    send: (msg) => child.send(msg),
    next: () =>
      inbox.length
        ? Promise.resolve(inbox.shift())
        : child.exitCode !== null
          ? Promise.reject(new Error(`${script} ${args.join(" ")} exited (${child.exitCode})\n${stderr}`))
          : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
  };
}

/**
 * All variants' processes at once, warmed up, then driven round by round in a rotating order
 * (only one process works at a time), so drifting background load hits every variant alike.
 * With `profile`, each process runs under --cpu-prof into bench/.profiles/observe-<variant>/.
 */
async function scenarioObserve(sinkUrl, { variants = OBSERVE_VARIANTS, rounds = SIZES.observeRounds, profile = false } = {}) {
  await resetSink(sinkUrl);
  const procs = variants.map((variant) => {
    const calls = String(variant === "official" ? SIZES.officialRound : SIZES.observeRound);
    const env = { BENCH_LOCKSTEP: "1", BENCH_ROUND_CALLS: calls, BENCH_WARMUP_CALLS: calls };
    if (profile) {
      fs.mkdirSync(PROFILES, { recursive: true });
      Object.assign(env, {
        BENCH_PROFILE_FILE: path.join(PROFILES, `observe-${variant}.cpuprofile`),
        BENCH_PROFILE_INTERVAL_US: String(PROFILE_INTERVAL_US),
      });
    }
    return spawnDriven("observe.bench.js", [variant, sinkUrl], env);
  });
  try {
    for (const p of procs) {
      const msg = await p.next();
      if (!msg.ready) throw new Error(`observe child failed: ${msg.result?.error ?? JSON.stringify(msg)}`);
    }
    for (let r = 0; r < rounds; r++) {
      log(`observe${profile ? " (profiled)" : ""}: round ${r + 1}/${rounds}`);
      for (let k = 0; k < procs.length; k++) {
        const p = procs[(r + k) % procs.length];
        p.send({ cmd: "round" });
        const msg = await p.next();
        if (msg.round === undefined) throw new Error(`observe child failed: ${msg.result?.error ?? JSON.stringify(msg)}`);
      }
    }
    const out = {};
    for (const [i, p] of procs.entries()) {
      p.send({ cmd: "finish" });
      const { result } = await p.next();
      if (!result || result.error) throw new Error(`observe ${variants[i]} failed: ${result?.error}`);
      await new Promise((resolve) => (p.child.exitCode !== null ? resolve() : p.child.once("exit", resolve)));
      out[variants[i]] = {
        info: result.info,
        nsPerCall: result.nsPerCall,
        minNs: Math.min(...result.rounds),
        maxNs: Math.max(...result.rounds),
        roundsNs: result.rounds,
        rounds: result.rounds.length,
        made: result.made,
        delivered: result.delivered,
        exportBytesPerCall: result.exportBytes / result.made,
      };
      if (profile) out[variants[i]].profile = result.profile;
    }
    return out;
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill();
  }
}

async function scenarioExport(sinkUrl) {
  log(`export: ${SIZES.exportSpans} spans to the counting sink`);
  await resetSink(sinkUrl);
  const env = { BENCH_EXPORT_SPANS: String(SIZES.exportSpans), BENCH_EXPORT_WARMUP: String(SIZES.exportWarmup) };
  const sink = await runChild("export.bench.js", [sinkUrl, sinkUrl], { env, exposeGc: true });

  log(`export: ${SIZES.backendSpans} spans at 50,000/s to the LocalBackend (own process)`);
  const { child, info } = await startServer("lib/backend-proc.js");
  let backend;
  try {
    backend = await runChild("export.bench.js", [info.url, info.statsUrl, info.apiKey, info.organizationId], {
      env: {
        BENCH_EXPORT_SPANS: String(SIZES.backendSpans),
        BENCH_EXPORT_WARMUP: String(Math.round(SIZES.backendSpans / 5)),
        BENCH_EXPORT_RATE: String(TARGETS.exportRate),
        BENCH_EXPORT_PREWARM: "20000",
        BENCH_DRAIN_TIMEOUT_MS: "20000",
      },
    });
    const stats = await (await fetch(`${info.statsUrl}/__stats`)).json();
    backend.backendRss = stats.rss;
    backend.backendRequests = stats.ingestRequests;
    backend.backendCpuUs = stats.cpuUs;
    backend.backendRejected = stats.rejectedRequests;
  } finally {
    await stopServer(child);
  }
  return { sink, backend };
}

/** Profiles the LocalBackend process while the paced export runs against it. */
async function profileBackend() {
  const dir = path.join(PROFILES, "export-localbackend-backend");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { child, info } = await startServer("lib/backend-proc.js", {
    execArgv: ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`],
  });
  try {
    await runChild("export.bench.js", [info.url, info.statsUrl, info.apiKey, info.organizationId], {
      env: {
        BENCH_EXPORT_SPANS: String(Math.round(SIZES.backendSpans / 2)),
        BENCH_EXPORT_WARMUP: "10000",
        BENCH_EXPORT_RATE: String(TARGETS.exportRate),
        BENCH_EXPORT_PREWARM: "20000",
        BENCH_DRAIN_TIMEOUT_MS: "10000",
      },
    });
  } finally {
    await stopServer(child);
  }
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))[0];
}

/**
 * Cold start: `require` + init of ours and of bare OpenTelemetry, each in a fresh process, in
 * interleaved rounds (the order alternates), so each round's ratio compares neighbours in time.
 * Then one more run of ours timing each module's load, for the "what it costs" table.
 */
async function scenarioStartup(sinkUrl) {
  const variants = ["ours", "otel-bare"];
  const rounds = { ours: [], "otel-bare": [] };
  for (let r = 0; r < STARTUP_ROUNDS; r++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + r) % variants.length];
      rounds[variant].push(await runChild("startup.bench.js", [variant, sinkUrl]));
    }
  }
  const withModules = { ours: [], "otel-bare": [] };
  for (let r = 0; r < STARTUP_MODULE_RUNS; r++) {
    for (const variant of variants) {
      withModules[variant].push(await runChild("startup.bench.js", [variant, sinkUrl], { env: { BENCH_STARTUP_MODULES: "1" } }));
    }
  }
  return { rounds, moduleTimes: startupModuleTable(withModules) };
}

/**
 * Load time by where a module comes from (one of our folders, an OpenTelemetry package, …), ours vs
 * bare: per origin, the median over the runs of each variant; largest difference first.
 */
function startupModuleTable(runs) {
  const areaOf = (file) => {
    const pkg = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (pkg) return pkg[1].replace("\\", "/");
    const own = /[\\/]judgeval[\\/](.+)$/.exec(file) ?? /[\\/]dist[\\/]cjs[\\/](.+)$/.exec(file);
    if (own) return `judgeval ${own[1].includes("/") ? own[1].split("/")[0] + "/" : own[1]}`;
    return file.startsWith("node:") || !file.includes("/") ? `node:${file.replace(/^node:/, "")}` : file;
  };
  const perRun = (run) => {
    const areas = {};
    for (const { file, ms } of run.moduleTimes) {
      const area = (areas[areaOf(file)] ??= { ms: 0, modules: 0 });
      area.ms += ms;
      area.modules++;
    }
    return areas;
  };
  const table = {};
  for (const [variant, list] of Object.entries(runs)) {
    const each = list.map(perRun);
    for (const area of new Set(each.flatMap((a) => Object.keys(a)))) {
      const row = (table[area] ??= { ours: 0, "otel-bare": 0, oursModules: 0, bareModules: 0 });
      row[variant] = median(each.map((a) => a[area]?.ms ?? 0));
      row[variant === "ours" ? "oursModules" : "bareModules"] = Math.max(...each.map((a) => a[area]?.modules ?? 0));
    }
  }
  return Object.entries(table)
    .map(([area, row]) => ({ area, ...row }))
    .sort((a, b) => Math.abs(b.ours - b["otel-bare"]) - Math.abs(a.ours - a["otel-bare"]));
}

/** Per-round ratios of `pick(ours)` to `pick(bare)`: median and range. */
function roundRatios(ours, bare, pick) {
  const ratios = ours.map((o, i) => pick(o) / pick(bare[i])).sort((a, b) => a - b);
  return { median: median(ratios), min: ratios[0], max: ratios[ratios.length - 1] };
}

// ---------------------------------------------------------------- verdicts

/** Ours split as bench/edge-startup.bench.js measures it inside the runtime. */
function edgePhases(p) {
  return `compile ${p.compile.toFixed(1)}, modules' top level ${p.modules.toFixed(1)}, init ${p.init.toFixed(1)}, first span ${p.firstSpan.toFixed(1)} ms`;
}

function verdicts(r) {
  const o = r.observe;
  const ours = o["ours-decorator"].nsPerCall;
  const oursFn = o["ours-observe-fn"].nsPerCall;
  const bare = o["otel-bare"].nsPerCall;
  const official = o.official.nsPerCall;
  const nc = r.nocreds;
  const sink = r.export.sink;
  const be = r.export.backend;
  const band = rssBand(sink);
  const st = r.startup;
  const total = (x) => x.requireMs + x.initMs;
  const wall = roundRatios(st.rounds.ours, st.rounds["otel-bare"], total);
  const cpu = roundRatios(st.rounds.ours, st.rounds["otel-bare"], (x) => x.cpuMs);
  st.ratios = { wall, cpu };
  const rows = [
    {
      id: "observe",
      scenario: "`@observe` (stage-3 decorator) per call vs bare OTel span",
      figure: `${fmtNs(ours)} vs ${fmtNs(bare)} → **${(ours / bare).toFixed(2)}×**`,
      target: `≤ ${TARGETS.observeVsOtel}×`,
      pass: ours / bare <= TARGETS.observeVsOtel,
    },
    {
      id: "observe",
      scenario: "`observe(fn)` per call vs bare OTel span",
      figure: `${fmtNs(oursFn)} vs ${fmtNs(bare)} → **${(oursFn / bare).toFixed(2)}×**`,
      target: `≤ ${TARGETS.observeVsOtel}×`,
      pass: oursFn / bare <= TARGETS.observeVsOtel,
    },
    {
      id: "observe",
      scenario: "official `judgeval` npm `Tracer.observe` vs our `@observe`",
      figure: `${fmtNs(official)} vs ${fmtNs(ours)} → ours **${(official / ours).toFixed(1)}× faster**`,
      target: `≥ ${TARGETS.officialVsOurs}× faster`,
      pass: official / ours >= TARGETS.officialVsOurs,
    },
    {
      id: "nocreds",
      scenario: "Added cost per call, no credentials (`@observe` method)",
      figure: `**+${nc.addedNs["@observe method"].toFixed(1)} ns** (${fmtNs(nc.nsPerCall["@observe method"])} vs plain ${fmtNs(nc.nsPerCall.plain)})`,
      target: `≤ ${TARGETS.noCredsAddedNs} ns`,
      pass: nc.addedNs["@observe method"] <= TARGETS.noCredsAddedNs,
    },
    {
      id: "nocreds",
      scenario: "Added cost per call, no credentials (`observe(fn)`)",
      figure: `**+${nc.addedNs["observe(fn)"].toFixed(1)} ns** (${fmtNs(nc.nsPerCall["observe(fn)"])} vs plain ${fmtNs(nc.nsPerCall.plain)})`,
      target: `≤ ${TARGETS.noCredsAddedNs} ns`,
      pass: nc.addedNs["observe(fn)"] <= TARGETS.noCredsAddedNs,
    },
    {
      id: "export",
      scenario: `Sustained export, ${fmtInt(sink.total)} spans, counting sink (own process)`,
      figure: `**${fmtInt(sink.spansPerSecondDelivered)} spans/s** delivered, ${fmtInt(sink.lost)} lost`,
      target: `≥ ${fmtInt(TARGETS.exportRate)}/s, 0 lost`,
      pass: sink.spansPerSecondDelivered >= TARGETS.exportRate && sink.lost === 0,
    },
    {
      id: "export",
      scenario: `SDK RSS over those ${fmtInt(sink.total)} spans (after ${fmtInt(sink.rss.warmupSpans)} warm-up)`,
      figure: `min ${mb(sink.rss.min)} / max ${mb(sink.rss.max)} / final ${mb(sink.rss.final)} MB; **±${band.toFixed(0)} MB** around the median`,
      target: `flat within ±${TARGETS.rssBandMB} MB`,
      pass: band <= TARGETS.rssBandMB,
    },
    {
      id: "export",
      scenario: `SDK heap after a flush and a full GC: after ${fmtInt(sink.heap.calls)} more traced calls vs right after the ${fmtInt(sink.rss.warmupSpans)} warm-up`,
      figure: `${mb1(sink.heap.baseline)} → ${mb1(sink.heap.end)} MB: **${sign(sink.heap.end - sink.heap.baseline)}${mb1(Math.abs(sink.heap.end - sink.heap.baseline))} MB**`,
      target: `within ${TARGETS.heapGrowthMB} MB`,
      pass: Math.abs(sink.heap.end - sink.heap.baseline) <= TARGETS.heapGrowthMB * 2 ** 20,
    },
    {
      id: "export-localbackend",
      scenario: `Export to the real \`LocalBackend\` (own process), ${fmtInt(be.total)} spans offered at ${fmtInt(be.offeredRate)}/s`,
      figure:
        `**${fmtInt(be.received)} of ${fmtInt(be.total)} delivered** (${fmtInt(be.lost)} not delivered: ${fmtInt(be.droppedReported ?? 0)} dropped and reported by the SDK, ${fmtInt(be.unaccounted ?? be.lost)} unaccounted); ` +
        `${be.lost === 0 ? `last one in ${(be.deliveredSeconds - be.producedSeconds).toFixed(2)} s after the last was made` : `gave up waiting ${(be.deliveredSeconds - be.producedSeconds).toFixed(0)} s after the last was made`}`,
      target: `keeps up with ${fmtInt(TARGETS.exportRate)}/s (all in ≤ 1 s after), 0 lost`,
      pass: be.lost === 0 && be.deliveredSeconds - be.producedSeconds <= 1,
    },
    {
      id: "startup",
      scenario: `Cold start: \`require("judgeval")\` + \`Tracer.init\` vs bare OpenTelemetry's, fresh process each, ${st.rounds.ours.length} interleaved rounds`,
      figure:
        `**${wall.median.toFixed(2)}×** per round (${wall.min.toFixed(2)}–${wall.max.toFixed(2)}×): ` +
        `${median(st.rounds.ours.map(total)).toFixed(1)} ms vs ${median(st.rounds["otel-bare"].map(total)).toFixed(1)} ms; ` +
        `CPU ${cpu.median.toFixed(2)}× (${cpu.min.toFixed(2)}–${cpu.max.toFixed(2)}×)`,
      target: `≤ ${TARGETS.startupVsOtel}×`,
      pass: wall.median <= TARGETS.startupVsOtel,
    },
    {
      id: "edge-startup",
      scenario: `Cold start in the Vercel Edge runtime (${r.edgeStartup.runtime}): an edge bundle's evaluation with \`Tracer.init\` + first span vs bare OpenTelemetry 3.x's, fresh process each, ${r.edgeStartup.rounds} interleaved rounds`,
      figure:
        `**${r.edgeStartup.ratio.toFixed(2)}×** per round (${r.edgeStartup.ratioRange.map((x) => x.toFixed(2)).join("–")}×): ` +
        `${r.edgeStartup.oursMs.toFixed(1)} ms vs ${r.edgeStartup.otelBareMs.toFixed(1)} ms ` +
        `(of ours, the import alone ${r.edgeStartup.oursImportMs.toFixed(1)} ms; ${edgePhases(r.edgeStartup.oursPhasesMs)}); minified bundles ` +
        `${Math.round(r.edgeStartup.bundleBytes.ours / 1024)} KB vs ${Math.round(r.edgeStartup.bundleBytes["otel-bare"] / 1024)} KB`,
      target: "≤ 1.0×",
      pass: r.edgeStartup.ratio <= 1,
    },
    {
      id: "serialize",
      scenario: `\`safeSerialize\` of a ${(r.serialize.inputBytes / 2 ** 20).toFixed(2)} MB nested input under the 64 KiB cap`,
      figure: `**${r.serialize.msPerCall.safeSerialize.toFixed(3)} ms** (output ${fmtInt(r.serialize.checks.safeSerialize.outputBytes)} B, valid JSON: ${r.serialize.checks.safeSerialize.validJson})`,
      target: `≤ ${TARGETS.serializeMs} ms`,
      pass:
        r.serialize.msPerCall.safeSerialize <= TARGETS.serializeMs &&
        r.serialize.checks.safeSerialize.withinCap &&
        r.serialize.checks.safeSerialize.validJson,
    },
  ];
  return rows;
}

/** Largest distance of a post-warm-up RSS sample from their median, in MB. */
function rssBand(run) {
  const rss = run.series.filter((s) => s.made >= run.rss.warmupSpans).map((s) => s.rssMB);
  const mid = median(rss);
  return Math.max(...rss.map((v) => Math.abs(v - mid)));
}

const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
const mb1 = (bytes) => (bytes / 2 ** 20).toFixed(1);
const sign = (n) => (n < 0 ? "−" : "+");
function fmtNs(ns) {
  return ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

/** Self CPU per call of `ours` minus `bare`, by function (both profiles made the same number of calls). */
function diffProfiles(ours, bare, calls) {
  const key = (row) => `${row.function}\u0000${row.location}`;
  const table = new Map();
  for (const row of ours.rows)
    table.set(key(row), { function: row.function, location: row.location, area: row.area, ours: row.selfMs, bare: 0 });
  for (const row of bare.rows) {
    const entry = table.get(key(row)) ?? { function: row.function, location: row.location, area: row.area, ours: 0, bare: 0 };
    entry.bare = row.selfMs;
    table.set(key(row), entry);
  }
  const perCall = (ms) => (ms * 1e6) / calls;
  const rows = [...table.values()].map((e) => ({
    ...e,
    oursNs: perCall(e.ours),
    bareNs: perCall(e.bare),
    diffNs: perCall(e.ours - e.bare),
  }));
  const areas = {};
  for (const r of rows) {
    const a = (areas[r.area] ??= { oursNs: 0, bareNs: 0 });
    a.oursNs += r.oursNs;
    a.bareNs += r.bareNs;
  }
  return {
    calls,
    oursNsPerCall: perCall(ours.totalMs),
    bareNsPerCall: perCall(bare.totalMs),
    rows: rows.sort((a, b) => b.diffNs - a.diffNs),
    areas,
  };
}

// ---------------------------------------------------------------- extras

/** Plain-JS scripts beside the orchestrated scenarios, run with node like the .bench.ts ones. */
const EXTRA_JS = ["llm.bench.js"];

/** The other bench/*.bench.ts scripts (owned by others) and {@link EXTRA_JS}, run as their authors wrote them; raw output. */
async function runExtras() {
  const { execFile } = require("node:child_process");
  const scripts = [
    ...fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith(".bench.ts"))
      .sort(),
    ...EXTRA_JS,
  ];
  const out = [];
  for (const script of scripts) {
    log(`extra: ${script}`);
    const [command, args] = script.endsWith(".js")
      ? [process.execPath, [path.join("bench", script)]]
      : [process.execPath, ["-r", "./bench/lib/ts-source.js", path.join("bench", script)]];
    const text = await new Promise((resolve) => {
      execFile(command, args, { cwd: ROOT, env: childEnv(), timeout: 300_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
        resolve(err ? `failed: ${String(err.message).split("\n")[0]}\n${stderr.slice(-1000)}` : stdout.trim()),
      );
    });
    out.push({ script, text });
  }
  return out;
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const machine = describeMachine();
  const tooling = prepare();
  const results = {
    date: new Date().toISOString(),
    machine,
    versions: {
      judgeval: require(PKG_DIR).VERSION,
      official: tooling.official,
      otelSdk: otelSdkVersion(),
      typescript: tooling.typescript,
    },
    quick: QUICK,
    sizes: SIZES,
    targets: TARGETS,
  };
  fs.rmSync(PROFILES, { recursive: true, force: true });

  const { child: sinkProc, info: sinkInfo } = await startServer("lib/sink.js");
  const sinkUrl = `http://127.0.0.1:${sinkInfo.port}`;
  try {
    results.observe = await scenarioObserve(sinkUrl);
    log("nocreds");
    results.nocreds = await runChild("nocreds.bench.js", [], { env: { BENCH_ROUNDS: QUICK ? "5" : "11" } });
    results.export = await scenarioExport(sinkUrl);
    log("serialize");
    results.serialize = await runChild("serialize-cap.bench.js", [], { env: QUICK ? { BENCH_SERIALIZE_CALLS: "20" } : {} });
    log("startup");
    results.startup = await scenarioStartup(sinkUrl);
    log("edge startup");
    results.edgeStartup = JSON.parse(
      require("node:child_process").execFileSync(
        process.execPath,
        [path.join(__dirname, "edge-startup.bench.js"), String(STARTUP_ROUNDS)],
        {
          encoding: "utf8",
        },
      ),
    );

    results.rows = verdicts(results);
    const profileAll = process.env.BENCH_PROFILE === "all";
    const missed = new Set(results.rows.filter((r) => !r.pass || profileAll).map((r) => r.id));
    results.profiles = [];
    const profile = async (id, title, runner) => {
      log(`profile: ${title}`);
      try {
        const file = await runner();
        results.profiles.push({ id, title, file: path.relative(ROOT, file), summary: summarizeProfile(file, { pkgDir: PKG_DIR }) });
      } catch (err) {
        results.profiles.push({ id, title, error: String(err.message ?? err) });
      }
    };
    if (missed.has("observe")) {
      log("profile: @observe vs bare OTel, interleaved");
      try {
        const runs = await scenarioObserve(sinkUrl, {
          variants: ["otel-bare", "ours-decorator"],
          rounds: PROFILE_OBSERVE_ROUNDS,
          profile: true,
        });
        const titles = {
          "ours-decorator": "`@observe` with export (ours-decorator), SDK process",
          "otel-bare": "bare OpenTelemetry span with export (otel-bare), for comparison",
        };
        for (const variant of ["ours-decorator", "otel-bare"]) {
          const file = runs[variant].profile;
          results.profiles.push({
            id: "observe",
            title: titles[variant],
            file: path.relative(ROOT, file),
            summary: summarizeProfile(file, { pkgDir: PKG_DIR }),
          });
        }
        const [ours, bare] = results.profiles.slice(-2).map((p) => p.summary);
        results.observeDiff = diffProfiles(ours, bare, runs["ours-decorator"].made);
        results.observeDiff.measured = { oursNs: runs["ours-decorator"].nsPerCall, bareNs: runs["otel-bare"].nsPerCall };
      } catch (err) {
        results.profiles.push({ id: "observe", title: "`@observe` vs bare OTel", error: String(err.message ?? err) });
      }
    }
    if (missed.has("nocreds")) {
      await profile(
        "nocreds",
        "no credentials: plain vs observed loops",
        async () => (await runChild("nocreds.bench.js", [], { profile: "nocreds" })).profile,
      );
    }
    if (missed.has("export")) {
      await profile("export", "sustained export to the counting sink, SDK process", async () => {
        await resetSink(sinkUrl);
        const env = { BENCH_EXPORT_SPANS: String(SIZES.exportSpans / 2), BENCH_EXPORT_WARMUP: String(SIZES.exportWarmup) };
        return (await runChild("export.bench.js", [sinkUrl, sinkUrl], { env, profile: "export-sink" })).profile;
      });
    }
    if (missed.has("export-localbackend")) {
      await profile("export-localbackend", "LocalBackend process while receiving at 50,000 spans/s", profileBackend);
    }
    if (missed.has("startup")) {
      await profile(
        "startup",
        'cold start: require("judgeval") + Tracer.init, fresh process',
        async () => (await runChild("startup.bench.js", ["ours", sinkUrl], { profile: "startup" })).profile,
      );
    }
    if (missed.has("serialize")) {
      await profile(
        "serialize",
        "serializing the 1 MB nested input",
        async () => (await runChild("serialize-cap.bench.js", [], { profile: "serialize" })).profile,
      );
    }
  } finally {
    await stopServer(sinkProc);
  }

  results.extras = process.env.BENCH_EXTRAS === "0" ? [] : await runExtras();
  results.seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(path.join(BUILD, "results.json"), JSON.stringify(results, null, 2));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, withKeptSections(writeReport(results)));
  log(`done in ${results.seconds.toFixed(0)} s → ${path.relative(ROOT, OUT)}`);
  for (const row of results.rows)
    log(`${row.pass ? "pass" : "MISS"}  ${row.scenario}: ${row.figure.replace(/\*\*/g, "")} (target ${row.target})`);
}

/**
 * Keeps the sections that `npm run bench:peers` and `npm run bench:load` wrote into the report
 * (each between its markers).
 */
function withKeptSections(report) {
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "";
  let out = report.trimEnd();
  for (const name of ["peers", "load"]) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const at = old.indexOf(start);
    const to = old.indexOf(end);
    if (at >= 0 && to > at) out += `\n\n${old.slice(at, to + end.length)}`;
  }
  return `${out}\n`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
