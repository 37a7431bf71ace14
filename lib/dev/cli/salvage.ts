import { resolve } from "node:path";
import { salvageStore } from "../store/open-store.js";
import type { Command } from "./args.js";
import type { CliIO } from "./dev.js";

/** Runs `judgeval salvage`: copies what can be read of a damaged database into a new one; resolves with the exit code. */
export async function runSalvage(cmd: Extract<Command, { kind: "salvage" }>, io: CliIO): Promise<number> {
  const from = resolve(cmd.dataPath);
  const to = resolve(cmd.toPath);
  io.out(`salvaging ${from} into ${to}…`);
  let report;
  try {
    report = await salvageStore(from, to);
  } catch (err) {
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
  io.out(
    `salvaged ${report.spans} spans of ${report.traces} traces, ${report.tags} tags and ${report.projects} projects; ` +
      `skipped ${report.damagedRanges} damaged ranges and ${report.unreadableRows} unreadable rows`,
  );
  io.out(`start it with: npx judgeval dev --data ${to}`);
  return 0;
}
