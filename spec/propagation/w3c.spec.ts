/**
 * W3C Trace Context (level 2) and Baggage over the wire: a loopback service continues the caller's
 * trace and reports the headers its observed outgoing calls would send. Every vector runs with
 * export on and with export off: the two must propagate identically.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { context, propagation as otelPropagation, ROOT_CONTEXT } from "@opentelemetry/api";
import { Tracer, observe, propagation } from "../../lib/index.js";
import { startBackend, type StartedBackend } from "../support/backend.js";
import { exportOffTracer } from "../support/tracing.js";

const T = "12345678901234567890123456789012";
const P = "1234567890123456";
const tp = (flags = "00") => `00-${T}-${P}-${flags}`;

type Headers = Record<string, string | string[]>;
interface Outgoing {
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
}

const outgoing = observe(function outgoing(): Outgoing {
  const headers: Outgoing = {};
  propagation.inject(headers as Record<string, string>);
  return headers;
});

/**
 * An outgoing call made by a third-party OpenTelemetry instrumentation: it injects through the
 * global propagator (the SDK's W3C propagator once an instrumentation is registered), which
 * forwards the same baggage as `propagation.inject`.
 */
const instrumented = observe(function instrumented(): Outgoing {
  const headers: Outgoing = {};
  otelPropagation.inject(context.active(), headers);
  return headers;
});

let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    const calls = Number(query.get("calls") ?? "1");
    const send = query.get("via") === "otel" ? instrumented : outgoing;
    const sent = Tracer.continueTrace(req.headers, () => Array.from({ length: calls }, () => send()));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(sent));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `headers` (an array value sends the header once per element) and returns what each call injected. */
function call(headers: Headers, calls = 1, via = "judgeval"): Promise<Outgoing[]> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: `/?calls=${calls}&via=${via}`, method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(JSON.parse(body) as Outgoing[]));
    });
    req.on("error", reject);
    req.end();
  });
}

const TRACEPARENT_OUT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function parsed(out: Outgoing): { traceId: string; parentId: string; flags: number } {
  const match = TRACEPARENT_OUT.exec(out.traceparent ?? "");
  expect(match).not.toBeNull();
  return { traceId: match![1], parentId: match![2], flags: parseInt(match![3], 16) };
}

async function one(headers: Headers): Promise<{ traceId: string; parentId: string; flags: number; state: Map<string, string> }> {
  const [out] = await call(headers);
  const state = new Map<string, string>();
  for (const member of (out.tracestate ?? "").split(",")) {
    const eq = member.indexOf("=");
    if (eq > 0) state.set(member.slice(0, eq), member.slice(eq + 1));
  }
  return { ...parsed(out), state };
}

/** The request continued the incoming trace under a new parent id. */
async function continues(headers: Headers): Promise<Map<string, string>> {
  const out = await one(headers);
  expect(out.traceId).toBe(T);
  expect(out.parentId).not.toBe(P);
  return out.state;
}

/** The request started a fresh trace. */
async function restarts(headers: Headers): Promise<void> {
  const out = await one(headers);
  expect(out.traceId).not.toBe(T);
  expect(out.traceId).not.toBe("0".repeat(32));
}

const modes: Array<[string, (b: StartedBackend) => Promise<Tracer>]> = [
  ["export on", async (b) => Tracer.init(b.tracerConfig)],
  ["export off", () => exportOffTracer({ projectName: "w3c-off" })],
];

describe.each(modes)("W3C trace context, %s", (_mode, makeTracer) => {
  let started: StartedBackend;
  let tracer: Tracer;
  beforeAll(async () => {
    started = await startBackend();
    tracer = await makeTracer(started);
    await tracer.ready;
  });
  afterAll(async () => {
    await tracer.shutdown();
    await started.backend.close();
  });

  describe("traceparent", () => {
    it("starts a trace when there is none", async () => {
      const out = await one({});
      expect(out.traceId).not.toBe("0".repeat(32));
    });

    it("continues a valid one with a new parent id", () => continues({ traceparent: tp("01") }));

    it("reads the header name in any case", async () => {
      await continues({ TraceParent: tp() });
      await continues({ TRACEPARENT: tp() });
    });

    it("ignores a misnamed header", async () => {
      await restarts({ "trace-parent": tp() });
      await restarts({ trace_parent: tp() });
    });

    it("restarts when the header is repeated with different values", () =>
      restarts({ traceparent: [`00-${T.slice(0, 31)}1-${P}-00`, tp()] }));

    it("allows optional whitespace around the value", async () => {
      for (const value of [` ${tp("01")}`, `\t${tp("01")}`, `${tp("01")} `, `${tp("01")}\t`, `\t ${tp("01")} \t`]) {
        await continues({ traceparent: value });
        const ctx = propagation.extract({ traceparent: value });
        expect(Tracer.continueTrace({ traceparent: value }, () => outgoing()).traceparent).toMatch(new RegExp(`^00-${T}-`));
        expect(ctx).toBeDefined();
      }
    });

    it("reads a later version by its first four fields", async () => {
      await continues({ traceparent: `cc-${T}-${P}-00` });
      await continues({ traceparent: `cc-${T}-${P}-00-what-the-future-will-be-like` });
      await restarts({ traceparent: `cc-${T}-${P}-00.what-the-future-will-be-like` });
    });

    it.each([
      ["version 00 with an extra field", `00-${T}-${P}-00-what-the-future-will-be-like`],
      ["version ff", `ff-${T}-${P}-01`],
      ["version with a non-hex character (first)", `.0-${T}-${P}-01`],
      ["version with a non-hex character (second)", `0.-${T}-${P}-01`],
      ["version too long", `000-${T}-${P}-01`],
      ["version too short", `0-${T}-${P}-01`],
      ["all-zero trace id", `00-${"0".repeat(32)}-${P}-01`],
      ["trace id with a non-hex character (first)", `00-.${T.slice(1)}-${P}-01`],
      ["trace id with a non-hex character (last)", `00-${T.slice(0, 31)}.-${P}-01`],
      ["trace id too long", `00-${T}3-${P}-01`],
      ["trace id too short", `00-${T.slice(0, 31)}-${P}-01`],
      ["all-zero parent id", `00-${T}-${"0".repeat(16)}-01`],
      ["parent id with a non-hex character (first)", `00-${T}-.${P.slice(1)}-01`],
      ["parent id with a non-hex character (last)", `00-${T}-${P.slice(0, 15)}.-01`],
      ["parent id too long", `00-${T}-${P}7-01`],
      ["parent id too short", `00-${T}-${P.slice(0, 15)}-01`],
      ["flags with a non-hex character (first)", `00-${T}-${P}-.0`],
      ["flags with a non-hex character (second)", `00-${T}-${P}-0.`],
      ["flags too long", `00-${T}-${P}-001`],
      ["flags too short", `00-${T}-${P}-1`],
      ["upper-case hex", `00-${T.replace(/1/g, "A")}-${P}-01`.toUpperCase()],
    ])("restarts on %s", (_label, value) => restarts({ traceparent: value }));

    it("keeps the random-trace-id flag (02) on the continued trace", async () => {
      const out = await one({ traceparent: tp("02") });
      expect(out.traceId).toBe(T);
      expect(out.parentId).not.toBe(P);
      expect(out.flags & 0x02).toBe(0x02);
      const sampled = await one({ traceparent: tp("03") });
      expect(sampled.flags).toBe(0x03);
      // a fresh trace of ours is not marked by the upstream's flag
      expect((await one({})).flags & 0x02).toBe(0);
    });

    it("gives each outgoing call its own parent id in one trace", async () => {
      const sent = (await call({ traceparent: tp("01") }, 3)).map(parsed);
      expect(new Set(sent.map((s) => s.traceId))).toEqual(new Set([T]));
      expect(new Set(sent.map((s) => s.parentId)).size).toBe(3);
    });

    it("gives each outgoing call its own parent id without, or with an invalid, traceparent", async () => {
      const cases: Headers[] = [{}, { traceparent: `00-${"0".repeat(32)}-${P}-01` }];
      for (const headers of cases) {
        const sent = (await call(headers, 3)).map(parsed);
        expect(new Set(sent.map((s) => s.parentId)).size).toBe(3);
        expect(sent.map((s) => s.traceId)).not.toContain("0".repeat(32));
      }
    });
  });

  describe("tracestate", () => {
    const ALLOWED_KEY = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    const ALLOWED_VALUE = [...Array(0x7f - 0x20).keys()]
      .map((i) => String.fromCharCode(0x20 + i))
      .filter((c) => c !== "," && c !== "=")
      .join("");

    it("is ignored without a traceparent", async () => {
      const out = await one({ tracestate: "foo=1" });
      expect(out.traceId).not.toBe(T);
      expect(out.state.size).toBe(0);
    });

    it("is carried with a valid traceparent", async () => {
      const state = await continues({ traceparent: tp(), tracestate: "foo=1,bar=2" });
      expect([...state]).toEqual([
        ["foo", "1"],
        ["bar", "2"],
      ]);
    });

    it("is read under its name in any case, and not under another name", async () => {
      for (const name of ["TraceState", "TRACESTATE"])
        expect((await continues({ traceparent: tp(), [name]: "foo=1" })).get("foo")).toBe("1");
      for (const name of ["trace-state", "trace_state"])
        expect((await continues({ traceparent: tp(), [name]: "foo=1" })).has("foo")).toBe(false);
    });

    it("skips empty headers and merges repeated ones in order", async () => {
      expect((await continues({ traceparent: tp(), tracestate: "" })).size).toBe(0);
      expect((await continues({ traceparent: tp(), tracestate: ["foo=1", ""] })).get("foo")).toBe("1");
      expect((await continues({ traceparent: tp(), tracestate: ["", "foo=1"] })).get("foo")).toBe("1");
      const merged = await continues({ traceparent: tp(), tracestate: ["foo=1,bar=2", "rojo=1,congo=2", "baz=3"] });
      expect([...merged.keys()]).toEqual(["foo", "bar", "rojo", "congo", "baz"]);
    });

    it("keeps one value of a repeated key", async () => {
      expect((await continues({ traceparent: tp(), tracestate: "foo=1,foo=1" })).get("foo")).toBe("1");
      expect(["1", "2"]).toContain((await continues({ traceparent: tp(), tracestate: "foo=1,foo=2" })).get("foo"));
      expect(["1", "2"]).toContain((await continues({ traceparent: tp(), tracestate: ["foo=1", "foo=2"] })).get("foo"));
    });

    it("carries every allowed key and value character", async () => {
      for (const key of [ALLOWED_KEY, `${ALLOWED_KEY}@a-z0-9_-*/`]) {
        expect((await continues({ traceparent: tp(), tracestate: `${key}=${ALLOWED_VALUE}` })).get(key)).toBe(ALLOWED_VALUE);
      }
    });

    it("allows optional whitespace around members", async () => {
      for (const value of ["foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3"]) {
        expect(Object.fromEntries(await continues({ traceparent: tp(), tracestate: value }))).toEqual({ foo: "1", bar: "2", baz: "3" });
      }
      for (const value of [" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"]) {
        expect((await continues({ traceparent: tp(), tracestate: value })).get("foo")).toBe("1");
        const direct = Tracer.continueTrace({ traceparent: tp("01"), tracestate: value }, () => outgoing());
        expect(direct.tracestate).toBe("foo=1");
      }
    });

    it.each([
      ["a space inside the key", "foo =1"],
      ["an upper-case key", "FOO=1"],
      ["a dot in the key", "foo.bar=1"],
      ["a key starting with @", "@foo=1,bar=2"],
      ["a 257-character key", `foo=1,${"z".repeat(257)}=1`],
      ["an = in the value", "foo=bar=baz"],
      ["an empty value", "foo=,bar=3"],
    ])("is discarded whole for %s", async (_label, value) => {
      expect((await continues({ traceparent: tp(), tracestate: value })).size).toBe(0);
    });

    it("accepts keys with @ anywhere but first, within 256 characters", async () => {
      for (const key of [
        "foo@",
        "foo@@bar",
        "foo@bar@baz",
        "z".repeat(256),
        `${"t".repeat(241)}@${"v".repeat(14)}`,
        `${"t".repeat(242)}@v`,
        `t@${"v".repeat(15)}`,
      ]) {
        const state = await continues({ traceparent: tp(), tracestate: [`${key}=1`, "bar=2"] });
        expect(state.get(key)).toBe("1");
        expect(state.get("bar")).toBe("2");
      }
    });

    it("allows 32 members and discards 33 whole", async () => {
      const members = (n: number) =>
        Array.from({ length: n }, (_, i) => `bar${String(i + 1).padStart(2, "0")}=${String(i + 1).padStart(2, "0")}`);
      const kept = await continues({ traceparent: tp(), tracestate: [members(10).join(","), members(32).slice(10).join(",")] });
      expect(kept.size).toBe(32);
      expect(kept.get("bar01")).toBe("01");
      expect((await continues({ traceparent: tp(), tracestate: members(33).join(",") })).size).toBe(0);
    });
  });

  describe("baggage, as an instrumentation forwards it", () => {
    beforeAll(() => Tracer.registerOTELInstrumentation({ setTracerProvider: () => undefined }));

    async function forwarded(baggage: string | string[]): Promise<string | undefined> {
      const [out] = await call({ traceparent: tp("01"), baggage }, 1, "otel");
      return out.baggage;
    }

    it("forwards a single member of 8192 bytes", async () => {
      const member = `k=${"v".repeat(8190)}`;
      expect(member.length).toBe(8192);
      expect(await forwarded(member)).toBe(member);
    });

    it("ignores a header over 8192 bytes whole", async () => {
      expect(await forwarded(`k=${"v".repeat(8191)}`)).toBeUndefined();
    });

    it("reads through the global API by the same limit", () => {
      const read = (baggage: string) => otelPropagation.getBaggage(otelPropagation.extract(ROOT_CONTEXT, { baggage }));
      expect(read(`k=${"v".repeat(8191)}`)).toBeUndefined();
      expect(read(`k=${"v".repeat(8190)}`)?.getEntry("k")?.value).toHaveLength(8190);
    });

    it("forwards 64 members and drops members past 180 whole", async () => {
      const members = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=${i}`);
      expect(await forwarded(members(64).join(","))).toBe(members(64).join(","));
      expect(await forwarded(members(200).join(","))).toBe(members(180).join(","));
    });

    it("forwards the app's keys and, of the judgment.* keys, only the identity keys", async () => {
      expect(await forwarded("judgment.span_kind=x,app=1;p,judgment.session_id=s")).toBe("app=1;p,judgment.session_id=s");
    });

    it("skips malformed members, keeps properties and percent-encoding, and merges repeated headers", async () => {
      expect(await forwarded("a=1,=x,b c=2,bad,c=%E2%82%AC;prop=1;flag")).toBe("a=1,c=%E2%82%AC;prop=1;flag");
      expect(await forwarded(["a=1", "b=2"])).toBe("a=1,b=2");
      expect(await forwarded("bad=%zz")).toBeUndefined();
    });
  });
});
