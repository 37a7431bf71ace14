/**
 * Runs `fn` (sync or async) with the console's warnings captured instead of printed; resolves with
 * them, as they would have been printed. For specs that assert on a warning, including one they
 * provoke on the way to what they test: `npm test` prints no warning a spec did not check.
 */
export async function captureWarnings(fn: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}
