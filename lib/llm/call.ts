import type { Context, Span } from "@opentelemetry/api";
import { withSpan } from "../context/active-tracer.js";
import { attributeWriter } from "../api/own-attributes.js";
import { activeContext, callInContext } from "../context/context-manager.js";
import { frameworkModelCall } from "../context/model-calls.js";
import { recordError, settle, type Outcome } from "../api/settle.js";
import { Keys } from "../wire/keys.js";
import type { Recorder } from "../context/recorder.js";
import { recordSummary, setRequestAttributes, startAttributes } from "./attributes.js";
import { isAPIPromise, observeAPIPromise } from "./api-promise.js";
import type { CallSummary, Integration, Operation } from "./integration.js";
import { field, str } from "./read.js";
import { instrumentStream, isAsyncIterable, type StreamEnd } from "./stream.js";

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * One traced API call: its span from the request to the end of the response (for a stream,
 * until the consumer is done with it). Tracing faults are absorbed: the caller's call never
 * fails because of them.
 */
class LLMCall implements Outcome {
  private finished = false;
  /** False when the sampler dropped the span: nothing is read from the response for it. */
  private readonly recording: boolean;

  constructor(
    private readonly recorder: Recorder,
    private readonly span: Span,
    private readonly op: Operation,
    private readonly request: unknown,
    private readonly sent: unknown,
    private readonly requestModel: string | undefined,
  ) {
    this.recording = span.isRecording();
  }

  /** A full response, or a stream to follow to its end. */
  ok(value: unknown): void {
    if (this.finished) return;
    try {
      if (this.op.stream && isAsyncIterable(value)) return this.follow(value);
    } catch {
      // an instrumentation failure leaves the stream untouched; the span ends below
    }
    this.finish(() => this.op.summarize(value));
  }

  fail(err: unknown): void {
    this.finish(undefined, { cancelled: false, error: err });
  }

  /** A helper's transform of `response` (e.g. parsing its output) threw: usage kept, error recorded. */
  failedAfter(response: unknown, err: unknown): void {
    this.finish(() => this.op.summarize(response), { cancelled: false, error: err });
  }

  /** The caller took the raw HTTP response: its body is theirs, so the span ends without output. */
  raw(): void {
    this.finish();
  }

  private follow(stream: AsyncIterable<unknown>): void {
    const accumulator = this.op.stream!(this.request, this.sent);
    instrumentStream(stream, {
      item: (chunk) => {
        try {
          return accumulator.add(chunk);
        } catch {
          return true;
        }
      },
      end: (how) => this.finish(() => accumulator.summary(), how),
    });
  }

  private finish(summarize?: () => CallSummary, how?: StreamEnd): void {
    if (this.finished) return;
    this.finished = true;
    try {
      if (summarize && this.recording) recordSummary(this.span, this.recorder, summarize(), this.requestModel);
      if (how?.cancelled) this.span.setAttribute(Keys.llmStreamCancelled, true);
      if (how?.error !== undefined) recordError(this.span, how.error);
    } catch {
      // a malformed response must not keep the span open
    }
    try {
      this.span.end();
    } catch {
      // a span processor that throws at the end (another library's) must not reach the caller,
      // who may be awaiting this very response
    }
  }
}

/**
 * `original`, traced as `op` of `integration` whenever a recording tracer is active at call
 * time; otherwise called bare. The result is the SDK's own (same promise, same stream object).
 */
export function tracedMethod(
  original: Method,
  integration: Integration,
  op: Operation,
  client: object,
  tracer: (ctx: Context) => Recorder | undefined,
): Method {
  return function traced(this: unknown, ...args: unknown[]): unknown {
    // Inside a framework's model-call span (OpenAI Agents, LangChain, Mastra) the call nests
    // under that span: the span processor then keeps one llm span for the request (this one).
    const parent = frameworkModelCall() ?? activeContext();
    const active = tracer(parent);
    if (!active?.recording) return original.apply(this, args);
    let call: LLMCall;
    let callArgs = args;
    let span: Span | undefined;
    let ctx: Context;
    try {
      const request = args[0];
      const sent = op.send ? op.send(request) : request;
      if (sent !== request) callArgs = [sent, ...args.slice(1)];
      const model = str(field(request, "model"));
      span = active.otelTracer.startSpan(integration.spanName, { attributes: startAttributes(integration.provider) }, parent);
      if (span.isRecording()) {
        const set = attributeWriter(span, active);
        setRequestAttributes(set, integration.genAiProvider(client), op.operation, model);
        const input = active.serializeInputOutput?.(request);
        if (input !== undefined) set(Keys.input, input);
      }
      call = new LLMCall(active, span, op, request, sent, model);
      ctx = withSpan(parent, span, active);
    } catch {
      span?.end();
      return original.apply(this, args);
    }
    let result: unknown;
    try {
      result = callInContext(ctx, original, this, callArgs);
    } catch (err) {
      call.fail(err);
      throw err;
    }
    return isAPIPromise(result) ? observeAPIPromise(result, call) : settle(result, call);
  };
}
