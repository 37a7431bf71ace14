/**
 * Observing a function that returns a rejected native promise: the very promise comes back, a
 * rejection the caller handles is reported nowhere, and one it does not handle is reported as it
 * would be without observing — except with export on, where the span must watch the promise and
 * JavaScript offers no way to watch one without marking it handled (docs/tracing.md says so).
 * Each mode runs in its own process: Node's unhandled-rejection tracking is process-wide.
 */
import { join, resolve } from "node:path";
import { useBackend } from "../support/backend.js";
import { runNode } from "../support/node-process.js";

const root = resolve(__dirname, "../..");
const ctx = useBackend();

interface Outcome {
  same: boolean;
  reports: Array<{ reason: string; samePromise: boolean }>;
}
type Run = { handled: Outcome; unhandled: Outcome; flushed?: boolean };

async function run(mode: "bare" | "off" | "on"): Promise<Run> {
  const stdout = await runNode(ctx, `unhandled-${process.pid}`, [join(root, "spec/fixtures/unhandled-rejection.cjs"), mode], 20000);
  return JSON.parse(stdout) as Run;
}

describe("a rejected promise returned from an observed function", () => {
  it("bare, export off and export on alike: the very promise, and no report when the caller handles it", async () => {
    const [bare, off, on] = await Promise.all([run("bare"), run("off"), run("on")]);
    const handled: Outcome = { same: true, reports: [] };
    expect(bare.handled).toEqual(handled);
    expect(off.handled).toEqual(handled);
    expect(on.handled).toEqual(handled);

    // not handled: Node reports it once, for the promise the function returned
    const once: Outcome = { same: true, reports: [{ reason: "unhandled", samePromise: true }] };
    expect(bare.unhandled).toEqual(once);
    expect(off.unhandled).toEqual(once);
    // export on: the span's watch marks the promise handled, so Node reports nothing (the error
    // is on the span instead); the returned promise is still the very one
    expect(on.unhandled).toEqual({ same: true, reports: [] });
    expect(on.flushed).toBe(true);
    const spans = ctx.backend.spans({ projectId: ctx.backend.projectId(`unhandled-${process.pid}`) });
    const statuses = spans.filter((s) => s.name === "fails").map((s) => s.status);
    expect(statuses.sort((a, b) => String(a.message).localeCompare(String(b.message)))).toEqual([
      { code: "error", message: "handled" },
      { code: "error", message: "unhandled" },
    ]);
  });
});
