/**
 * `@observe` wherever users put it (class fields holding functions, getters and setters,
 * auto-accessors, static and #private methods), and what observing must not change: the very
 * promise the function returned, with no unhandled rejection of its own. Only the recorded tree
 * matters for the forms, so those read it in-process (judgeval/testing); a recorded error's
 * status and events are checked as the backend receives them.
 */
import { Tracer, observe } from "../../lib/index.js";
import { captureTraces, findSpan, findSpans } from "../../lib/testing/index.js";
import { useBackend } from "../support/backend.js";
import { one, projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();

class Agent {
  prefix = "agent";

  @observe
  bareField = (q: string): string => `${this.prefix}:${q}`;

  @observe({ spanType: "tool", spanName: "lookup" })
  optionsField = async (q: string): Promise<string> => `${this.prefix}/${q}`;

  @observe()
  notAFunction = 42;

  #secret = "s";

  @observe
  get label(): string {
    return `${this.prefix}-label`;
  }

  @observe
  set label(value: string) {
    this.prefix = value;
  }

  @observe
  accessor mode = "fast";

  @observe
  static create(): Agent {
    return new Agent();
  }

  @observe
  #hidden(n: number): string {
    return `${this.#secret}${n}`;
  }

  callHidden(n: number): string {
    return this.#hidden(n);
  }
}

describe("@observe wherever users put it", () => {
  it("class fields holding functions are traced per instance, with their this", async () => {
    // A field holding no function is left as it is, with a warning at the first instance.
    expect(await captureWarnings(() => new Agent())).toEqual([
      '[judgeval] @observe on field "notAFunction": its value is not a function, so there is nothing to trace.',
    ]);
    const { traces } = await captureTraces(async () => {
      const a = new Agent();
      const b = new Agent();
      b.prefix = "other";
      expect(a.bareField("q1")).toBe("agent:q1");
      expect(b.bareField("q2")).toBe("other:q2");
      expect(await a.optionsField("q3")).toBe("agent/q3");
      expect(a.notAFunction).toBe(42);
      expect(a.bareField).not.toBe(b.bareField);
    });
    expect(findSpans(traces, { name: "bareField" }).map(({ input, output }) => ({ input, output }))).toEqual([
      { input: { q: "q1" }, output: "agent:q1" },
      { input: { q: "q2" }, output: "other:q2" },
    ]);
    expect(findSpans(traces, { name: "lookup" })).toEqual([
      expect.objectContaining({ kind: "tool", input: { q: "q3" }, output: "agent/q3" }),
    ]);
  });

  it("getters, setters and auto-accessors", async () => {
    const { traces } = await captureTraces(() => {
      const a = new Agent();
      expect(a.label).toBe("agent-label");
      a.label = "renamed";
      expect(a.prefix).toBe("renamed");
      expect(a.mode).toBe("fast");
      a.mode = "slow";
      expect(a.mode).toBe("slow");
    });
    expect(findSpans(traces, { name: "label" }).map(({ input, output }) => ({ input, output }))).toEqual([
      { input: {}, output: "agent-label" },
      { input: { value: "renamed" }, output: null },
    ]);
    expect(findSpans(traces, { name: "mode" })).toHaveLength(3);
  });

  it("static and #private methods", async () => {
    const { traces } = await captureTraces(() => Agent.create().callHidden(7));
    expect(findSpans(traces, { name: "create" })).toHaveLength(1);
    expect(findSpans(traces, { name: "#hidden" })).toEqual([expect.objectContaining({ input: { n: 7 }, output: "s7" })]);
  });
});

describe("observing never changes what the function returns", () => {
  it("returns the very promise the function returned, own properties and all", async () => {
    let made: Promise<number> | undefined;
    const fn = observe(function makes(): Promise<number> {
      made = Promise.resolve(5);
      (made as Promise<number> & { tag?: string }).tag = "mine";
      return made;
    });
    const { traces } = await captureTraces(async () => {
      const got = fn();
      expect(got).toBe(made);
      expect((got as Promise<number> & { tag?: string }).tag).toBe("mine");
      expect(await got).toBe(5);
    });
    expect(findSpan(traces, { name: "makes" })?.output).toBe(5);
  });

  it("a rejection the caller handles raises no unhandled rejection, and is recorded once", async () => {
    const tracer = await projectTracer(ctx);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const fails = observe(async function fails(): Promise<never> {
        throw new Error("nope");
      });
      const p = fails();
      await expect(p).rejects.toThrow("nope");
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    const span = one(await received(ctx, tracer), "fails");
    expect(span.status).toEqual({ code: "error", message: "nope" });
    expect(span.events.filter((e) => e.name === "exception")).toHaveLength(1);
  });

  it("Tracer.observe is the same decorator", async () => {
    class Svc {
      @Tracer.observe({ spanName: "svc" })
      run = (n: number) => n + 1;
    }
    const { result, traces } = await captureTraces(() => new Svc().run(1));
    expect(result).toBe(2);
    expect(findSpans(traces, { name: "svc" })).toEqual([expect.objectContaining({ input: { n: 1 }, output: 2 })]);
  });
});
