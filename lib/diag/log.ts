import { diag } from "@opentelemetry/api";
import { sanitizeMessage } from "./secrets.js";
import { env } from "./runtime.js";

/**
 * The SDK's only voice. Every message goes to OpenTelemetry's `diag` (namespace `judgeval`), so an
 * app that set a diag logger receives it there, and to the console at or above
 * `JUDGMENT_LOG_LEVEL` (`error`, `warn` — the default —, `info`, `debug`, or `none` to leave the
 * console to the app). `warnOnce` keeps a misconfiguration from flooding logs from a hot path.
 */
const LEVELS = { none: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
type Level = Exclude<keyof typeof LEVELS, "none">;

const component = diag.createComponentLogger({ namespace: "judgeval" });
const said = new Set<string>();
let consoleLevel: number | undefined;

/** Read once, on the first message: an app may set the variable after importing the SDK. */
function consoleThreshold(): number {
  if (consoleLevel === undefined) {
    const name = (env("JUDGMENT_LOG_LEVEL") ?? "warn").trim().toLowerCase();
    consoleLevel = name in LEVELS ? LEVELS[name as keyof typeof LEVELS] : LEVELS.warn;
  }
  return consoleLevel;
}

function emit(level: Level, text: string): void {
  // Credentials in URLs and known secrets never reach a log.
  const message = sanitizeMessage(text);
  component[level](message);
  if (LEVELS[level] > consoleThreshold()) return;
  const line = `[judgeval] ${message}`;
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  error(message: string): void {
    emit("error", message);
  },
  warn(message: string): void {
    emit("warn", message);
  },
  info(message: string): void {
    emit("info", message);
  },
  debug(message: string): void {
    emit("debug", message);
  },
  /** Warns the first time `key` is seen in this process. */
  warnOnce(key: string, message: string): void {
    if (said.has(key)) return;
    said.add(key);
    emit("warn", message);
  },
};
