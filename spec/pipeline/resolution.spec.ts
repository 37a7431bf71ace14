import { Tracer, observe } from "../../lib/index.js";
import { startBackend, useBackend } from "../support/backend.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();
const work = observe(function work(i: number) {
  return i;
});
const fast = { exportTimeoutMillis: 500, retry: { initialDelayMillis: 20, maxDelayMillis: 100 } };

describe("project resolution", () => {
  it("failing at start is retried in the background; spans made meanwhile are delivered once it succeeds", async () => {
    await ctx.backend.stop();
    const lines = await captureWarnings(async () => {
      const tracer = Tracer.init({ ...ctx.tracerConfig, ...fast, projectName: "resolved-late" });
      await tracer.ready;
      expect(tracer.projectId).toBeUndefined();
      for (let i = 0; i < 50; i++) work(i);
      // honest while the project is unknown: nothing was delivered
      expect(await tracer.forceFlush(2000)).toBe(false);
      await ctx.backend.restart();
      await ctx.backend.waitForRequests((requests) => requests.some((r) => r.path.startsWith("/v1/projects/resolve") && r.status === 200), {
        timeoutMs: 10000,
      });
      for (let i = 50; i < 60; i++) work(i);
      expect(await tracer.forceFlush(10000)).toBe(true);
      expect(tracer.projectId).toBe(ctx.backend.projectId("resolved-late"));
      await tracer.shutdown();
    });
    expect(ctx.backend.spans({ projectId: ctx.backend.projectId("resolved-late") })).toHaveLength(60);
    expect(lines).toEqual([expect.stringMatching(/could not reach .* retrying in the background/)]);
  });

  it("an unknown project is not retried: one warning, export off", async () => {
    const only = await startBackend({ projects: ["known"] });
    try {
      const lines = await captureWarnings(async () => {
        const tracer = Tracer.init({ ...only.tracerConfig, ...fast, projectName: "unknown", setActive: false });
        await tracer.ready;
        await tracer.forceFlush(500);
        await tracer.shutdown();
      });
      expect(lines).toEqual([expect.stringMatching(/export is off: .*not found/)]);
      expect(only.backend.requests.filter((r) => r.path.startsWith("/v1/projects/resolve"))).toHaveLength(1);
    } finally {
      await only.backend.close();
    }
  });
});
