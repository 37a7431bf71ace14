import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { Tracer } from "../../lib/index.js";

/** A diag logger that keeps what it is given. */
function collectingLogger(lines: string[]): DiagLogger {
  const keep = (message: string, ...args: unknown[]) => void lines.push([message, ...args].join(" "));
  return { error: keep, warn: keep, info: keep, debug: keep, verbose: keep };
}

describe("SDK messages", () => {
  const saved = process.env.JUDGMENT_LOG_LEVEL;
  afterEach(() => {
    diag.disable();
    if (saved === undefined) delete process.env.JUDGMENT_LOG_LEVEL;
    else process.env.JUDGMENT_LOG_LEVEL = saved;
  });

  it("reach an app's OpenTelemetry diag logger, namespaced, and JUDGMENT_LOG_LEVEL=none keeps them off the console", async () => {
    process.env.JUDGMENT_LOG_LEVEL = "none";
    const lines: string[] = [];
    diag.setLogger(collectingLogger(lines), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    const printed: unknown[] = [];
    const warn = jest.spyOn(console, "warn").mockImplementation((...args) => void printed.push(args));
    try {
      await jest.isolateModulesAsync(async () => {
        const { Tracer: Isolated } = await import("../../lib/index.js");
        const tracer = Isolated.init({ projectName: "p", apiKey: "", organizationId: "", setActive: false });
        await tracer.ready;
        await tracer.shutdown();
      });
    } finally {
      warn.mockRestore();
    }
    expect(lines.some((l) => l.includes("judgeval") && l.includes("export is off"))).toBe(true);
    expect(printed).toEqual([]);
  });

  it("go to the console by default", async () => {
    delete process.env.JUDGMENT_LOG_LEVEL;
    const printed: string[] = [];
    const warn = jest.spyOn(console, "warn").mockImplementation((line: string) => void printed.push(line));
    try {
      const tracer = Tracer.init({ projectName: "p", apiKey: "", organizationId: "", setActive: false });
      await tracer.ready;
      await tracer.shutdown();
    } finally {
      warn.mockRestore();
    }
    expect(printed.some((l) => l.startsWith("[judgeval]") && l.includes("export is off"))).toBe(true);
  });
});
