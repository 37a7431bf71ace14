// First, before anything can load node:sqlite.
import "./quiet-sqlite-warning.js";
import { VERSION } from "../../wire/version.js";
import { HELP, parseCommand, UsageError } from "./args.js";
import { processIO, runDev, type CliIO } from "./dev.js";
import { runSalvage } from "./salvage.js";

/** Runs the `judgeval` command line; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`judgeval: ${err.message}\n`);
    io.err(HELP);
    return 2;
  }
  switch (command.kind) {
    case "help":
      io.out(HELP);
      return 0;
    case "version":
      io.out(VERSION);
      return 0;
    case "dev":
      return runDev(command, io);
    case "salvage":
      return runSalvage(command, io);
  }
}

/** Entry point of `bin/judgeval.js`: runs and exits with the code. */
export function run(argv: readonly string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`judgeval: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
