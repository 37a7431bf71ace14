"use strict";
/**
 * One SDK under test, in its own process, driven round by round by bench/peers/run.js:
 *
 *   node --expose-gc bench/peers/worker.js <variant> <sinkUrl>
 *
 * Messages: { cmd: "round", workload, calls } → { round: { ns, cpuNs } } per call, flush included;
 * { cmd: "memory", calls } → heap and RSS before and after `calls` add() calls plus a flush,
 * each after a full GC; { cmd: "finish" } → what the sink counted for this variant.
 */
const { setup } = require("./variants.js");
const { getJson, runMain } = require("../lib/common.js");

const [variant, sinkUrl] = process.argv.slice(2);
const BASE_URL = `${sinkUrl}/v/${variant}`;
const setImmediateP = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `calls` of the workload — sync ones in chunks of 256 with a yield between, async ones one after another — then flushes (unless `flush` is false). */
async function run(sdk, workload, calls, flush = true) {
  if (workload === "add") {
    let acc = 0;
    for (let i = 0; i < calls; ) {
      const end = Math.min(calls, i + 256);
      for (; i < end; i++) acc += sdk.add(i);
      await setImmediateP();
    }
    if (acc === -1) console.error("unreachable");
  } else {
    const call = sdk[workload];
    for (let i = 0; i < calls; i++) {
      await call(i);
      if ((i & 255) === 255) await setImmediateP();
    }
  }
  if (flush) await sdk.flush();
}

async function timed(sdk, workload, calls) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run(sdk, workload, calls);
  const ns = Number(process.hrtime.bigint() - start) / calls;
  const used = process.cpuUsage(cpu);
  return { ns, cpuNs: ((used.user + used.system) * 1000) / calls };
}

function gcNow() {
  for (let i = 0; i < 3; i++) global.gc?.();
  const { heapUsed } = process.memoryUsage();
  return { heapUsed, rss: process.memoryUsage.rss() };
}

async function main() {
  const sdk = await setup(variant, BASE_URL);
  const sinkStats = async () => (await getJson(`${sinkUrl}/__stats`)).byTag[variant] ?? { exports: 0, spans: 0, bytes: 0 };
  // Warm-up, also the calibration: how long a call takes, so the driver can size the rounds.
  const workloads = Object.keys(sdk).filter((k) => typeof sdk[k] === "function" && k !== "flush");
  const calibrate = {};
  const made = {};
  let warmupMade = 0;
  for (const w of workloads) {
    const n = w === "add" ? 2000 : 300;
    await run(sdk, w, n);
    // Calls alone (no flush): the driver sizes rounds so the flush at their end is a small part.
    const start = process.hrtime.bigint();
    await run(sdk, w, n, false);
    calibrate[w] = Number(process.hrtime.bigint() - start) / n;
    await sdk.flush();
    made[w] = 0;
    warmupMade += 2 * n;
  }
  const before = await sinkStats();
  return new Promise((resolve) => {
    process.on("message", (msg) => {
      if (msg.cmd === "round") {
        made[msg.workload] += msg.calls;
        void timed(sdk, msg.workload, msg.calls).then((round) => process.send({ round }));
      } else if (msg.cmd === "memory") {
        void (async () => {
          await sdk.flush();
          const baseline = gcNow();
          await run(sdk, "add", msg.calls);
          await new Promise((r) => setTimeout(r, 200));
          await sdk.flush();
          const after = gcNow();
          made.add += msg.calls;
          process.send({ memory: { calls: msg.calls, heapBefore: baseline.heapUsed, heapAfter: after.heapUsed, rssBefore: baseline.rss, rssAfter: after.rss } });
        })();
      } else if (msg.cmd === "finish") {
        void (async () => {
          await sdk.flush();
          await new Promise((r) => setTimeout(r, 300));
          const after = await sinkStats();
          resolve({ variant, info: sdk.info, made: Object.values(made).reduce((a, b) => a + b, 0), warmupMade, delivered: after.spans - before.spans, exportBytes: after.bytes - before.bytes });
        })();
      }
    });
    process.send({ ready: calibrate });
  });
}

// Ends with the driver, also when it dies mid-run.
process.on("disconnect", () => process.exit(0));
runMain(main);
