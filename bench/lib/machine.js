"use strict";
/** The machine description written at the top of docs/benchmarks.md. */
const fs = require("node:fs");
const os = require("node:os");

function cpuModel() {
  try {
    const line = fs
      .readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => /^model name\s*:/.test(l));
    if (line) return line.split(":").slice(1).join(":").trim();
  } catch {}
  return os.cpus()[0]?.model ?? "unknown";
}

function describeMachine() {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  };
}

module.exports = { describeMachine };
