/**
 * W3C Baggage as the next service receives it. The checks carry the facts of the official
 * w3c/baggage test suite (test/test_baggage.py at 40f5426: its 24 cases of parsing, properties,
 * whitespace, percent-encoding and limits; 23 before that commit added repeated property names) over the wire: a loopback test service receives each vector's `baggage` header (or, where
 * the suite builds baggage in memory, adds the entries itself through the OpenTelemetry API), and
 * calls back with the headers its propagation writes; the header received is read here by the
 * spec's grammar. judgeval runs with and without `registerGlobal`, and bare OpenTelemetry's
 * W3CBaggagePropagator runs the same checks to show the expected results.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { fixtureEnv, useBackend } from "../support/backend.js";

const ctx = useBackend();

// ---- the spec's grammar, as an oracle for what the next service receives ----

/** One list member as read: value and property values percent-decoded. */
interface Member {
  key: string;
  value: string;
  properties: Array<[string, string?]>;
}

const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
/** baggage-octets, a `%` only as the start of an escape (it must itself be encoded). */
const VALUE = "(?:[\\x21\\x23\\x24\\x26-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]|%[0-9A-Fa-f]{2})*";
const PROPERTY = `(${TOKEN})(?:[ \\t]*=[ \\t]*(${VALUE}))?`;
const MEMBER = new RegExp(`^[ \\t]*(${TOKEN})[ \\t]*=[ \\t]*(${VALUE})((?:[ \\t]*;[ \\t]*${PROPERTY})*)[ \\t]*$`);
const PROPERTY_ALONE = new RegExp(`^[ \\t]*${PROPERTY}[ \\t]*$`);

/** Percent-decoding with U+FFFD for bytes that are not UTF-8. */
function decoded(value: string): string {
  const bytes = Buffer.from(
    value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  );
  return new TextDecoder().decode(bytes);
}

/** The members of a received header; undefined when it breaks the grammar or the 8192-byte limit. */
function read(header: string | undefined): Member[] | undefined {
  if (header === undefined || header === "") return [];
  if (Buffer.byteLength(header) > 8192) return undefined;
  const members: Member[] = [];
  for (const text of header.split(",")) {
    const match = MEMBER.exec(text);
    if (!match) return undefined;
    const properties: Array<[string, string?]> = match[3]
      .split(";")
      .slice(1)
      .map((property) => {
        const [, key, value] = PROPERTY_ALONE.exec(property)!;
        return value === undefined ? [key] : [key, decoded(value)];
      });
    members.push({ key: match[1], value: decoded(match[2]), properties });
  }
  return members;
}

const m = (key: string, value: string, ...properties: Array<[string, string?]>): Member => ({ key, value, properties });

// ---- the checks ----

/** What one request to the test service carries: `baggage` header(s), entries the app adds. */
interface Sent {
  baggage?: string | string[];
  add?: Array<[string, string, string?]>;
}
/** Sends to the service; resolves with the `baggage` header its outgoing call carried. */
type Send = (sent: Sent) => Promise<string | undefined>;
type Check = [name: string, run: (send: Send) => Promise<boolean>];

/** The header received carries exactly `expected`, in order. */
const gets =
  (sent: Sent, ...expected: Member[]): Check[1] =>
  async (send) =>
    isDeepStrictEqual(read(await send(sent)), expected);
/** Every variant passes. */
const all =
  (...runs: Array<Check[1]>): Check[1] =>
  async (send) => {
    for (const run of runs) if (!(await run(send))) return false;
    return true;
  };

/** The suite's odd value, and `urllib.parse.quote` of it. */
const ODD = "\t \"';=asdf!@#$%^&*()";
const ODD_QUOTED = "%09%20%22%27%3B%3Dasdf%21%40%23%24%25%5E%26%2A%28%29";
const LONG = "0123456789".repeat(819);
const MANY = Array.from({ length: 512 }, (_, i) => [String(i).padStart(3, "0"), "0123456789a"] as [string, string]);

/** More than 64 members: what arrives is well-formed, at least 64 members, each one exactly as sent. */
const keepsAtLeast64Whole =
  (sent: Sent, members: Array<[string, string]>): Check[1] =>
  async (send) => {
    const got = read(await send(sent));
    const sentMembers = new Map(members);
    return got !== undefined && got.length >= 64 && got.every((g) => sentMembers.get(g.key) === g.value && g.properties.length === 0);
  };

const keys64 = Array.from({ length: 64 }, (_, i) => m(`key${i}`, "value"));

/** The 24 cases of test_baggage.py, by the suite's names. */
const VECTORS: Check[] = [
  ["BaggageTest.test_ctor_default", gets({})],
  ["BaggageTest.test_parse_simple", gets({ baggage: "SomeKey=SomeValue" }, m("SomeKey", "SomeValue"))],
  [
    "BaggageTest.test_parse_multiple",
    gets(
      { baggage: "SomeKey=SomeValue;SomeProp,SomeKey2=SomeValue2;ValueProp=PropVal" },
      m("SomeKey", "SomeValue", ["SomeProp"]),
      m("SomeKey2", "SomeValue2", ["ValueProp", "PropVal"]),
    ),
  ],
  [
    "BaggageTest.test_parse_multiple_ows",
    gets(
      { baggage: "SomeKey \t = \t SomeValue \t ; \t SomeProp \t , \t SomeKey2 \t = \t SomeValue2 \t ; \t ValueProp \t = \t PropVal" },
      m("SomeKey", "SomeValue", ["SomeProp"]),
      m("SomeKey2", "SomeValue2", ["ValueProp", "PropVal"]),
    ),
  ],
  [
    "BaggageTest.test_parse_multiple_kv_property",
    gets(
      { baggage: "SomeKey=SomeValue;SomePropKey=SomePropValue,SomeKey2=SomeValue2;SomePropKey2=SomePropValue2" },
      m("SomeKey", "SomeValue", ["SomePropKey", "SomePropValue"]),
      m("SomeKey2", "SomeValue2", ["SomePropKey2", "SomePropValue2"]),
    ),
  ],
  [
    "BaggageTest.test_parse_multiple_kv_property_ows",
    gets(
      {
        baggage:
          "SomeKey \t = \t SomeValue \t ; \t SomePropKey=SomePropValue \t , \t SomeKey2 \t = \t SomeValue2 \t ; \t SomePropKey2 \t = \t SomePropValue2",
      },
      m("SomeKey", "SomeValue", ["SomePropKey", "SomePropValue"]),
      m("SomeKey2", "SomeValue2", ["SomePropKey2", "SomePropValue2"]),
    ),
  ],
  ["BaggageEntryTest.test_ctor_default", gets({ add: [["SomeKey", "SomeValue"]] }, m("SomeKey", "SomeValue"))],
  ["BaggageEntryTest.test_parse_simple", gets({ baggage: "SomeKey=SomeValue" }, m("SomeKey", "SomeValue"))],
  ["BaggageEntryTest.test_parse_multiple_equals", gets({ baggage: "SomeKey=SomeValue=equals" }, m("SomeKey", "SomeValue=equals"))],
  [
    "BaggageEntryTest.test_parse_percent_encoded",
    all(gets({ baggage: `SomeKey=${ODD_QUOTED}` }, m("SomeKey", ODD)), gets({ add: [["SomeKey", ODD]] }, m("SomeKey", ODD))),
  ],
  ["BaggageEntryTest.test_parse_property", gets({ baggage: "SomeKey=SomeValue;SomeProp" }, m("SomeKey", "SomeValue", ["SomeProp"]))],
  [
    "BaggageEntryTest.test_parse_multi_property",
    gets(
      { baggage: "SomeKey=SomeValue;SomeProp;SecondProp=PropValue" },
      m("SomeKey", "SomeValue", ["SomeProp"], ["SecondProp", "PropValue"]),
    ),
  ],
  [
    "BaggageEntryTest.test_parse_multiple_properties_same_name",
    gets(
      { baggage: "SomeKey=SomeValue;SomeProp;SomeProp=PropValue;SomeProp=AnotherPropValue" },
      m("SomeKey", "SomeValue", ["SomeProp"], ["SomeProp", "PropValue"], ["SomeProp", "AnotherPropValue"]),
    ),
  ],
  [
    "BaggageEntryTest.test_parse_kv_property",
    gets({ baggage: "SomeKey=SomeValue;SomePropKey=SomePropValue" }, m("SomeKey", "SomeValue", ["SomePropKey", "SomePropValue"])),
  ],
  ["BaggageEntryTest.test_parse_simple_ows", gets({ baggage: "SomeKey \t = \t SomeValue \t " }, m("SomeKey", "SomeValue"))],
  ["BaggageEntryTest.test_parse_percent_encoded_ows", gets({ baggage: `SomeKey \t = \t ${ODD_QUOTED} \t ` }, m("SomeKey", ODD))],
  [
    "BaggageEntryTest.test_parse_property_ows",
    gets({ baggage: "SomeKey \t = \t SomeValue \t ; \t SomeProp" }, m("SomeKey", "SomeValue", ["SomeProp"])),
  ],
  [
    "BaggageEntryTest.test_parse_multi_property_ows",
    gets(
      { baggage: "SomeKey \t = \t SomeValue \t ; \t SomeProp \t ; \t SecondProp \t = \t PropValue" },
      m("SomeKey", "SomeValue", ["SomeProp"], ["SecondProp", "PropValue"]),
    ),
  ],
  [
    "BaggageEntryTest.test_parse_kv_property_ows",
    gets(
      { baggage: "SomeKey \t = \t SomeValue \t ; \t SomePropKey \t = \t SomePropValue" },
      m("SomeKey", "SomeValue", ["SomePropKey", "SomePropValue"]),
    ),
  ],
  [
    "BaggageEntryTest.test_parse_percent_encoded_property",
    gets({ baggage: `SomeKey=SomeValue;SomePropKey=${ODD_QUOTED}` }, m("SomeKey", "SomeValue", ["SomePropKey", ODD])),
  ],
  [
    "BaggageEntryTest.test_parse_property_without_value_no_percent_decoding",
    gets(
      { baggage: "SomeKey=SomeValue;ValueProp%20%09%20%3D%20%09%20PropVal" },
      m("SomeKey", "SomeValue", ["ValueProp%20%09%20%3D%20%09%20PropVal"]),
    ),
  ],
  // The limits: received from upstream, and (as the suite builds them) added by the app.
  [
    "LimitsTest.test_serialize_at_least_64",
    all(
      gets({ baggage: keys64.map((k) => `${k.key}=${k.value}`).join(",") }, ...keys64),
      gets(
        {
          baggage: keys64
            .slice(0, 63)
            .map((k) => `${k.key}=${k.value}`)
            .join(","),
          add: [["key63", "value"]],
        },
        ...keys64,
      ),
    ),
  ],
  ["LimitsTest.test_serialize_long_entry", all(gets({ baggage: `a=${LONG}` }, m("a", LONG)), gets({ add: [["a", LONG]] }, m("a", LONG)))],
  [
    "LimitsTest.test_serialize_many_entries",
    all(keepsAtLeast64Whole({ baggage: MANY.map(([k, v]) => `${k}=${v}`).join(",") }, MANY), keepsAtLeast64Whole({ add: MANY }, MANY)),
  ],
];

/** The spec's own examples and limits at their edge, and input it does not allow. */
const EDGES: Check[] = [
  [
    "64 members of 8192 bytes together",
    // one member of 128 bytes, 63 of 127, 63 commas
    (() => {
      const members = Array.from({ length: 64 }, (_, i) => m(`k${String(i).padStart(2, "0")}`, "v".repeat(i === 0 ? 124 : 123)));
      return gets({ baggage: members.map((k) => `${k.key}=${k.value}`).join(",") }, ...members);
    })(),
  ],
  [
    "repeated baggage headers combine",
    gets(
      { baggage: ["userId=alice", "serverNode=DF%2028,isProduction=false"] },
      m("userId", "alice"),
      m("serverNode", "DF 28"),
      m("isProduction", "false"),
    ),
  ],
  [
    "the spec's example with properties and whitespace",
    gets(
      { baggage: "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue" },
      m("key1", "value1", ["property1"], ["property2"]),
      m("key2", "value2"),
      m("key3", "value3", ["propertyKey", "propertyValue"]),
    ),
  ],
  [
    "UTF-8 percent-encoded",
    all(gets({ baggage: "userId=Am%C3%A9lie" }, m("userId", "Amélie")), gets({ add: [["userId", "Amélie"]] }, m("userId", "Amélie"))),
  ],
  ["escapes that are not UTF-8 decode to U+FFFD", gets({ baggage: "k=%FF%FE,j=ok" }, m("k", "\uFFFD\uFFFD"), m("j", "ok"))],
  ["malformed members are not forwarded", gets({ baggage: 'a=1,b c=2,=x,bad,d="q",e=%zz,f=2' }, m("a", "1"), m("f", "2"))],
  ["a lone surrogate in an app's value travels as U+FFFD", gets({ add: [["k", "a\uD800b"]] }, m("k", "a\uFFFDb"))],
  ["malformed app metadata is not forwarded", gets({ add: [["k", "v", "ok;not a token;p=1"]] }, m("k", "v", ["ok"], ["p", "1"]))],
];

// ---- the services ----

/** Where the services call back: each request has its own path; the `baggage` it arrived with is kept. */
async function startCollector() {
  const received = new Map<string, string | undefined>();
  const server = http.createServer((req, res) => {
    const baggage = req.headers.baggage; // Node joins repeated unknown headers into one string
    received.set(req.url ?? "", typeof baggage === "string" ? baggage : undefined);
    res.end("ok");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((done) => server.close(done)),
  };
}

/** A trace id per service, so its spans can be told apart. */
const TRACE = { judgeval: "1".repeat(32), "judgeval-global": "2".repeat(32), otel: "3".repeat(32) };
type Mode = keyof typeof TRACE;

async function startService(mode: Mode, collector: Awaited<ReturnType<typeof startCollector>>, via?: "otel") {
  const child: ChildProcess = spawn(process.execPath, [resolve(__dirname, "../fixtures/baggage-service.cjs"), mode], {
    env: {
      ...process.env,
      ...fixtureEnv(ctx, `baggage-${mode}`),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  const url = `http://127.0.0.1:${/port=(\d+)/.exec(line.toString())![1]}/`;
  let requests = 0;
  const send: Send = async ({ baggage, add }) => {
    const path = `/${mode}/${++requests}`;
    const headers: Record<string, string | string[]> = { traceparent: `00-${TRACE[mode]}-${"a".repeat(16)}-01` };
    if (baggage !== undefined) headers.baggage = baggage;
    const status = await new Promise<number | undefined>((done, fail) => {
      const req = http.request(url, { method: "POST", headers }, (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode));
      });
      req.on("error", fail);
      req.end(JSON.stringify({ callback: collector.url + path, add, via }));
    });
    expect(status).toBe(200);
    return collector.received.get(path);
  };
  const stop = async () => {
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  return { send, stop, requests: () => requests };
}

/** The names of the checks that fail. */
async function failing(checks: Check[], send: Send): Promise<string[]> {
  const failed: string[] = [];
  for (const [name, run] of checks) if (!(await run(send))) failed.push(name);
  return failed;
}

// every row names `via`: a shorter row would make jest pass a `done` callback in its place
const SERVICES: Array<[label: string, mode: Mode, via: "otel" | undefined]> = [
  ["judgeval", "judgeval", undefined],
  ["judgeval with registerGlobal", "judgeval-global", undefined],
  ["judgeval with registerGlobal, the app's own OpenTelemetry API calls", "judgeval-global", "otel"],
];

describe("W3C Baggage through a test service", () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => collector.close());

  it("has the 24 cases of the official suite", () => {
    expect(VECTORS).toHaveLength(24);
  });

  it("bare OpenTelemetry (W3CBaggagePropagator) passes 23 of 24: it drops a member over 4096 bytes", async () => {
    const service = await startService("otel", collector);
    try {
      expect(await failing(VECTORS, service.send)).toEqual(["LimitsTest.test_serialize_long_entry"]);
      expect(await failing(EDGES, service.send)).toEqual([
        "escapes that are not UTF-8 decode to U+FFFD",
        "malformed members are not forwarded",
        "a lone surrogate in an app's value travels as U+FFFD",
        "malformed app metadata is not forwarded",
      ]);
    } finally {
      await service.stop();
    }
  });

  it.each(SERVICES)("%s passes 24 of 24, and its spans take from baggage only the trusted keys", async (_label, mode, via) => {
    const service = await startService(mode, collector, via);
    let forwarded: Member[] | undefined;
    try {
      expect(await failing(VECTORS, service.send)).toEqual([]);
      expect(await failing(EDGES, service.send)).toEqual([]);
      // judgeval's rules for its own keys: an identity key travels and becomes an attribute, another judgment.* key does neither
      forwarded = read(await service.send({ baggage: "judgment.session_id=s-1,judgment.span_kind=attacker,tenant=acme;p=1" }));
    } finally {
      await service.stop(); // its tracer shuts down, flushing its spans
    }
    expect(forwarded).toEqual([m("judgment.session_id", "s-1"), m("tenant", "acme", ["p", "1"])]);
    const spans = ctx.backend.spans().filter((s) => s.traceId === TRACE[mode] && s.name === (via ? "app-handle" : "handle"));
    expect(spans).toHaveLength(service.requests());
    const fromBaggage = spans.flatMap((s) =>
      Object.keys(s.attributes).filter((k) => !k.startsWith("judgment.") || k === "judgment.session_id"),
    );
    expect(fromBaggage).toEqual(["judgment.session_id"]);
    for (const span of spans) expect(span.attributes["judgment.span_kind"]).not.toBe("attacker");
  });
});
