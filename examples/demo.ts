/**
 * The judgeval demo: an agent with @observe methods, tools, a streamed answer and a nested
 * Tracer.span, traced into the local backend started in this process. No keys, no network.
 *
 *   npm run demo            # run once, print the trace tree
 *   npm run demo -- --keep  # then keep serving the viewer until Ctrl-C
 */
import { Tracer, observe } from "judgeval";
import { LocalBackend, type StoredSpan } from "judgeval/dev";

class ResearchAgent {
  @observe({ spanType: "tool" })
  async search(query: string, limit = 2): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 15));
    return [`${query}: the Moon is about 384,400 km away`, `${query}: light takes about 1.3 s`].slice(0, limit);
  }

  @observe({ spanType: "tool" })
  calculate(expression: string): number {
    const [a, op, b] = expression.split(" ");
    return op === "/" ? Number(a) / Number(b) : Number(a) * Number(b);
  }

  @observe({ spanType: "llm", spanName: "stream_answer" })
  async *streamAnswer(question: string, facts: string[]): AsyncGenerator<string> {
    Tracer.recordLLMMetadata({ model: "demo-model", provider: "local", non_cached_input_tokens: 42, output_tokens: 6 });
    for (const word of `About 1.3 light-seconds: ${facts.length} sources agree.`.split(" ")) {
      await new Promise((r) => setTimeout(r, 5));
      yield `${word} `;
    }
  }

  @observe({ spanType: "agent" })
  async run(question: string): Promise<string> {
    Tracer.setSessionId("demo-session");
    const facts = await this.search(question);
    const seconds = await Tracer.span("reason", async () => {
      Tracer.setAttribute("facts", facts.length);
      return this.calculate("384400 / 299792");
    });
    let answer = "";
    for await (const token of this.streamAnswer(question, facts)) answer += token;
    return `${answer.trim()} (${seconds.toFixed(2)} s)`;
  }
}

function printTree(spans: StoredSpan[]): void {
  const children = new Map<string | null, StoredSpan[]>();
  for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  const ids = new Set(spans.map((s) => s.spanId));
  const short = (v: unknown) => (typeof v === "string" ? (v.length > 70 ? `${v.slice(0, 67)}...` : v) : "");
  const walk = (s: StoredSpan, depth: number) => {
    const pad = "  ".repeat(depth);
    console.log(`${pad}${s.name} [${s.spanType}] ${s.durationMs.toFixed(1)} ms${s.status.code === "error" ? " ERROR" : ""}`);
    if (s.attributes["judgment.input"]) console.log(`${pad}  in:  ${short(s.attributes["judgment.input"])}`);
    if (s.attributes["judgment.output"]) console.log(`${pad}  out: ${short(s.attributes["judgment.output"])}`);
    const kids = (children.get(s.spanId) ?? []).sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
    for (const c of kids) walk(c, depth + 1);
  };
  for (const root of spans.filter((s) => s.parentSpanId === null || !ids.has(s.parentSpanId))) walk(root, 0);
}

async function main(): Promise<void> {
  const keep = process.argv.includes("--keep");
  const backend = await LocalBackend.start({ port: keep ? 4319 : 0 });
  const tracer = Tracer.init({
    projectName: "demo",
    apiUrl: backend.url,
    apiKey: backend.apiKey,
    organizationId: backend.organizationId,
  });

  const answer = await new ResearchAgent().run("How far is the Moon in light-seconds?");
  console.log(`answer: ${answer}\n`);
  await tracer.forceFlush();

  const [trace] = backend.traces({ offline: false });
  console.log(`trace ${trace.traceId} (${trace.spanCount} spans)`);
  printTree(backend.trace(trace.traceId));

  if (keep) {
    console.log(`\nviewer: ${backend.url}/  (trace page: ${backend.url}/traces/${trace.traceId})`);
    console.log("serving; Ctrl-C to stop");
    process.once("SIGINT", () => void backend.close());
    return;
  }
  await tracer.shutdown();
  await backend.close();
  // The backend is gone now: point at a way to look at the trace that will work.
  console.log("\nto browse it in the viewer: npm run demo -- --keep   (or run `npx judgeval dev` and point your app at it)");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
