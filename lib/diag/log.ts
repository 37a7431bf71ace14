/**
 * The SDK's only voice on the console. Every line is prefixed so users can tell it apart, and
 * `warnOnce` keeps a misconfiguration from flooding logs from a hot path.
 */
const said = new Set<string>();

export const log = {
  warn(message: string): void {
    console.warn(`[judgeval] ${message}`);
  },
  /** Warns the first time `key` is seen in this process. */
  warnOnce(key: string, message: string): void {
    if (said.has(key)) return;
    said.add(key);
    console.warn(`[judgeval] ${message}`);
  },
};
