import { parseArgs } from "node:util";
import { redactUserinfo } from "../server/forwarder.js";

/** Port `judgeval dev` listens on unless told otherwise. */
export const DEFAULT_DEV_PORT = 4319;
/** Data directory of `judgeval dev`, relative to the working directory. */
const DEFAULT_DATA_DIR = ".judgeval";

/** A parsed command line. */
export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "salvage"; dataPath: string; toPath: string }
  | {
      kind: "dev";
      port: number;
      host: string;
      dataPath: string;
      apiKey?: string;
      organizationId?: string;
      allowedHosts: string[];
      forwardTo?: string;
      maxAgeDays?: number;
      maxDbMb?: number;
    };

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const HELP = `Usage: judgeval <command> [options]

Commands:
  dev              Run the local Judgment-compatible backend and trace viewer.
  salvage          Copy what can be read of a damaged trace database into a new
                   one (judgeval dev says when its database is damaged).

Options of dev:
  --port <n>       Port to listen on (default ${DEFAULT_DEV_PORT}; 0 picks a free one).
  --host <addr>    Interface to listen on (default 127.0.0.1). Anything but
                   loopback exposes your traces, unauthenticated, to the network.
  --data <path>    Directory of the trace database (default ./${DEFAULT_DATA_DIR}).
  --api-key <key>  API key the backend accepts (default local-dev-key).
  --org-id <id>    Organization id the backend accepts (default local-dev-org).
  --allow-host <name>
                   Also answer requests whose Host or Origin is <name> (repeatable;
                   loopback names and the --host address are always allowed).
  --forward <url>  Send every accepted span request on, unchanged, to this
                   OTLP/HTTP traces URL (e.g. http://127.0.0.1:4318/v1/traces).
  --max-age-days <n>
                   Remove traces idle for longer (default 14; 0 keeps them).
  --max-db-mb <n>  Remove the oldest traces past this database size (default 1024).

Options of salvage:
  --data <path>    Directory of the damaged database (default ./${DEFAULT_DATA_DIR});
                   it is only read.
  --to <path>      New directory to write the salvaged database to; then run
                   judgeval dev --data <path>.

General:
  -h, --help       Show this help.
  -v, --version    Show the version.

Example:
  npx judgeval dev
  # then, in the shell that runs your code, paste the export lines it prints.
`;

function parsePositive(name: string, raw: string | undefined, allowZero: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || (!allowZero && n === 0))
    throw new UsageError(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number, got "${raw}"`);
  return n;
}

function parseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--forward must be an http(s) URL, got "${redactUserinfo(raw)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--forward must be an http(s) URL, got "${redactUserinfo(raw)}"`);
  return url.href;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}

function salvageCommand(values: Record<string, string | boolean | string[] | undefined>): Command {
  const other = Object.keys(values).find((name) => name !== "data" && name !== "to" && values[name] !== undefined);
  if (other !== undefined) throw new UsageError(`--${other} is not an option of salvage`);
  if (typeof values["to"] !== "string") throw new UsageError("salvage needs --to <path>: the new directory to write to");
  return { kind: "salvage", dataPath: typeof values["data"] === "string" ? values["data"] : DEFAULT_DATA_DIR, toPath: values["to"] };
}

/** Parses `argv` (without the node and script paths). */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        data: { type: "string" },
        "api-key": { type: "string" },
        "org-id": { type: "string" },
        "allow-host": { type: "string", multiple: true },
        forward: { type: "string" },
        "max-age-days": { type: "string" },
        "max-db-mb": { type: "string" },
        to: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, ...extra] = positionals;
  if (command === undefined) return { kind: "help" };
  if (command !== "dev" && command !== "salvage") throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  for (const name of ["host", "data", "api-key", "org-id", "to"] as const) {
    if (values[name] === "") throw new UsageError(`--${name} must not be empty`);
  }
  if (command === "salvage") return salvageCommand(values);
  if (values.to !== undefined) throw new UsageError("--to is an option of salvage, not of dev");
  return {
    kind: "dev",
    port: values.port === undefined ? DEFAULT_DEV_PORT : parsePort(values.port),
    host: values.host ?? "127.0.0.1",
    dataPath: values.data ?? DEFAULT_DATA_DIR,
    apiKey: values["api-key"],
    organizationId: values["org-id"],
    allowedHosts: values["allow-host"] ?? [],
    forwardTo: parseUrl(values.forward),
    maxAgeDays: parsePositive("max-age-days", values["max-age-days"], true),
    maxDbMb: parsePositive("max-db-mb", values["max-db-mb"], false),
  };
}
