import fc from "fast-check";
import { Judgeval, OfflineTracer, Tracer, observe, type Example } from "../../lib/index.js";
import { useBackend } from "../support/backend.js";
import { projectTracer, received } from "../support/tracing.js";
import { captureWarnings } from "../support/warnings.js";

const ctx = useBackend();

function trap(): never {
  throw new Error("trap");
}

const TRAPS = ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "isExtensible", "apply"] as const;

/** A plain description of a hostile options value; fast-check shrinks and prints it, `build` makes it. */
type Hostile =
  { proxy: Array<(typeof TRAPS)[number]>; callable: boolean } | { getter: string; others: Array<[string, boolean]> } | { revoked: true };

function build(h: Hostile): unknown {
  if ("revoked" in h) {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }
  if ("getter" in h) {
    const value: Record<string, unknown> = Object.fromEntries(h.others);
    return Object.defineProperty(value, h.getter, { enumerable: true, get: trap });
  }
  const handler: ProxyHandler<object> = {};
  for (const name of h.proxy) (handler as Record<string, unknown>)[name] = trap;
  return new Proxy(h.callable ? function options() {} : {}, handler);
}

/** Every option name of the entries below, so a getter lands on one that is read. */
const OPTION_NAMES = [
  "spanType",
  "spanName",
  "recordInput",
  "fork",
  "attributes",
  "ignoreBaggage",
  "ignoreTraceContext",
  "sessionId",
  "name",
  "x",
];

const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.record({ proxy: fc.subarray([...TRAPS], { minLength: 1 }), callable: fc.boolean() }),
  fc.record({
    getter: fc.constantFrom(...OPTION_NAMES),
    others: fc.array(fc.tuple(fc.constantFrom(...OPTION_NAMES), fc.boolean()), { maxLength: 3 }),
  }),
  fc.constant({ revoked: true as const }),
);

class Method {
  run(): string {
    return "method";
  }
}

/** Each public entry taking options, with the hostile value as its options; each returns what the user's function returned. */
const ENTRIES: Array<[string, (options: unknown) => unknown]> = [
  ["startAsCurrentSpan", (o) => Tracer.startAsCurrentSpan("n", o as never, () => "fn")],
  ["startActiveSpan", (o) => Tracer.startActiveSpan(o as never, (s) => (s.end(), "fn"))],
  ["startSpan", (o) => (Tracer.startSpan("n", o as never).end(), "fn")],
  ["startLinkedTrace", (o) => Tracer.span("parent", () => Tracer.startLinkedTrace("n", o as never, () => "fn"))],
  ["continueTrace", (o) => Tracer.continueTrace({}, o as never, () => "fn")],
  ["scopedContext", (o) => Tracer.scopedContext(o as never, () => "fn")],
  ["observe", (o) => observe(() => "fn", o as never)()],
  [
    "observe",
    (o) => {
      // a function there is the plain-function form: observe(fn) traces it, and must not throw
      if (typeof o === "function") return typeof observe(o as () => string) === "function" ? "fn" : "changed";
      const descriptor = Object.getOwnPropertyDescriptor(Method.prototype, "run")!;
      const decorated = (observe(o as never) as (t: object, k: string, d: PropertyDescriptor) => PropertyDescriptor | void)(
        Method.prototype,
        "run",
        descriptor,
      );
      return ((decorated ?? descriptor).value as () => string).call(new Method()) === "method" ? "fn" : "changed";
    },
  ],
  // not options but the client itself: returned untouched, as any object wrap cannot instrument
  ["wrap", (o) => (Tracer.wrap(o) === o ? "fn" : "changed")],
];

/** Entries whose options say how a tracer is made: bad options are refused with an error naming the entry, never the trap's error. */
const CONSTRUCTORS: Array<[string, RegExp, (options: unknown) => unknown]> = [
  ["Tracer.init", /^Tracer\.init: /, (o) => Tracer.init(o as never)],
  ["OfflineTracer.create", /^OfflineTracer: /, (o) => OfflineTracer.create(o as never)],
  ["Judgeval.create", /^Judgeval: /, (o) => Judgeval.create(o as never)],
];

describe("hostile options anywhere in the public API", () => {
  it("a Proxy whose traps throw as options: the user's function runs, its value comes back, one clear warning names the entry", async () => {
    const tracer = await projectTracer(ctx);
    const lines = await captureWarnings(async () => {
      for (const [name, entry] of ENTRIES) {
        const options = build({ proxy: [...TRAPS], callable: false });
        expect([name, entry(options)]).toEqual([name, "fn"]);
      }
      // a function (even a Proxy of one) in the options position is not taken for the callback
      expect(Tracer.startAsCurrentSpan("n", build({ proxy: [...TRAPS], callable: true }) as never, () => "fn")).toBe("fn");
      expect(Tracer.continueTrace({}, build({ proxy: [...TRAPS], callable: true }) as never, () => "fn")).toBe("fn");
      expect(Tracer.startLinkedTrace("n", build({ proxy: [...TRAPS], callable: true }) as never, () => "fn")).toBe("fn");
      expect(observe(build({ proxy: [...TRAPS], callable: true }) as () => string)).toEqual(expect.any(Function));
      expect(await Tracer.forceFlush(build({ proxy: [...TRAPS], callable: false }) as never)).toBe(true);
    });
    for (const name of new Set(ENTRIES.map(([n]) => n)).add("startLinkedTrace"))
      if (name !== "startSpan" && name !== "continueTrace" && name !== "wrap")
        expect([name, lines.filter((l) => l.includes(`${name}: its options could not be read`)).length]).toEqual([name, 1]);
    expect(lines.some((l) => l.includes("continueTrace: options must be an object, got a function"))).toBe(true);
    expect(lines.some((l) => l.includes("wrap: the client could not be read"))).toBe(true);
    const spans = await received(ctx, tracer);
    expect(spans.filter((s) => s.name === "n").length).toBeGreaterThanOrEqual(4);
  });

  it("fuzzed: no entry throws on throwing getters, Proxies or revoked Proxies as options, and fn's value always comes back", async () => {
    await projectTracer(ctx, { maxQueueSize: 100000 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      // the warnings each entry gives are checked above; here they are only kept off the output
      await captureWarnings(async () => {
        fc.assert(
          fc.property(hostile, fc.integer({ min: 0, max: ENTRIES.length - 1 }), (h, e) => {
            const [, entry] = ENTRIES[e];
            expect(entry(build(h))).toBe("fn");
            expect(Tracer.span("outer", () => entry(build(h)))).toBe("fn");
          }),
          { numRuns: 300 },
        );
        await fc.assert(
          fc.asyncProperty(hostile, fc.integer({ min: 0, max: CONSTRUCTORS.length - 1 }), async (h, c) => {
            const [, clear, make] = CONSTRUCTORS[c];
            let error: unknown;
            try {
              const made = await make(build(h));
              if (made instanceof Tracer) await made.shutdown();
            } catch (err) {
              error = err;
            }
            // options an entry could read in part (a getter on an unread key) may still make a tracer
            if (error !== undefined) {
              expect(error).toBeInstanceOf(Error);
              expect((error as Error).message).toMatch(clear);
              expect((error as Error).message).not.toBe("trap");
            }
          }),
          { numRuns: 60 },
        );
        const client = await Judgeval.create({ ...ctx.tracerConfig, projectName: "hostile-offline" });
        expect(() => client.offlineTracer(build({ proxy: ["get"], callable: false }) as never)).toThrow(
          /^offlineTracer: options could not be read/,
        );
        const dataset: Example[] = [];
        const offline = client.offlineTracer({ dataset, setActive: false });
        expect(offline.projectId).toBe(client.projectId);
        await offline.shutdown();
      });
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  }, 60000);
});
