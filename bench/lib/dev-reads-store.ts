/**
 * Builds a `judgeval dev` store of a given size for bench/dev-reads.bench.ts, through the store's own write path
 * (no HTTP: generating millions of spans is not what is measured): traces of 10 spans, and one trace of `bigTrace`
 * spans. Returns the big trace's id.
 */
import { randomBytes } from "node:crypto";
import { openStore } from "../../lib/dev/store/open-store.js";
import type { StoredSpan } from "../../lib/dev/store/span-types.js";

const T0 = 1_764_000_000_000_000_000n;
const BATCH = 5000;

function span(traceId: string, spanId: string, parent: string | null, name: string, startNs: bigint, n: number): StoredSpan {
  return {
    traceId,
    spanId,
    parentSpanId: parent,
    name,
    kind: "internal",
    spanType: parent === null ? "agent" : n % 3 === 0 ? "llm" : "tool",
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + 50_000n),
    durationMs: 0.05,
    ended: true,
    status: { code: "unset", message: "" },
    attributes: {
      "judgment.input": `{"question":"order ${n}","context":"${"lorem ipsum ".repeat(8)}"}`,
      "judgment.output": `"answer ${n}"`,
      ...(n % 7 === 0 ? { "judgment.session_id": `s-${n % 1000}` } : {}),
    },
    events: [],
    links: [],
    resource: { "service.name": "bench" },
    scope: { name: "judgeval", version: "0" },
    updateId: 1,
    offline: false,
    projectId: `p-${n % 8}`,
    receivedAt: Date.now(),
  };
}

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** Writes `total` spans (10 a trace) plus one trace of `bigTrace` spans into the store at `dataPath`. */
export async function buildStore(dataPath: string, total: number, bigTrace: number): Promise<string> {
  const store = await openStore(dataPath, { maxBytes: 64 * 1024 ** 3, maxAgeMs: 0 });
  const bigId = hex(16);
  try {
    let batch: StoredSpan[] = [];
    const flush = (): void => {
      if (batch.length > 0) store.put(batch);
      batch = [];
    };
    const bigRoot = hex(8);
    for (let i = 0; i < bigTrace; i++) {
      batch.push(
        span(bigId, i === 0 ? bigRoot : hex(8), i === 0 ? null : bigRoot, i === 0 ? "big" : `step-${i}`, T0 + BigInt(i) * 1000n, i),
      );
      if (batch.length === BATCH) flush();
    }
    for (let t = 0; t * 10 < total; t++) {
      const traceId = hex(16);
      const root = hex(8);
      const start = T0 + BigInt(t) * 10_000_000n;
      for (let i = 0; i < 10; i++)
        batch.push(
          span(
            traceId,
            i === 0 ? root : hex(8),
            i === 0 ? null : root,
            i === 0 ? `agent-${t % 50}` : `step-${i}`,
            start + BigInt(i) * 100_000n,
            t * 10 + i,
          ),
        );
      if (batch.length >= BATCH) flush();
    }
    flush();
  } finally {
    store.close();
  }
  return bigId;
}
