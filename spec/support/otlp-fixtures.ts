import { randomBytes } from "node:crypto";
import { traceRequestType } from "./otlpTraceSchema.js";
import type { LocalBackend } from "../../lib/dev/index.js";

/** A span to encode; times in nanoseconds since the epoch. */
export interface SpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  start?: bigint;
  end?: bigint;
  attributes?: Record<string, unknown>;
  status?: { code: number; message?: string };
  events?: { name: string; time: bigint; attributes?: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string; attributes?: Record<string, unknown> }[];
}

export const newTraceId = (): string => randomBytes(16).toString("hex");
export const newSpanId = (): string => randomBytes(8).toString("hex");

/** A fixed, readable start time: 2024-01-01T00:00:00Z in nanoseconds. */
export const T0 = 1_704_067_200_000_000_000n;
export const ms = (n: number): bigint => BigInt(Math.round(n * 1e6));

function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (value instanceof Uint8Array) return { bytesValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value && typeof value === "object") return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
  return {};
}

function keyValues(record: Record<string, unknown> = {}): Record<string, unknown>[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** Encodes spans as one OTLP `ExportTraceServiceRequest` with our protobufjs schema. */
export function encodeSpans(spans: SpanInput[], resource: Record<string, unknown> = { "service.name": "test" }): Uint8Array {
  const type = traceRequestType;
  const message = type.fromObject({
    resourceSpans: [
      {
        resource: { attributes: keyValues(resource) },
        scopeSpans: [
          {
            scope: { name: "judgeval", version: "0.0.0" },
            spans: spans.map((s) => ({
              traceId: Buffer.from(s.traceId, "hex"),
              spanId: Buffer.from(s.spanId, "hex"),
              parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, "hex") : undefined,
              name: s.name,
              kind: s.kind ?? 1,
              startTimeUnixNano: (s.start ?? T0).toString(),
              endTimeUnixNano: (s.end ?? (s.start ?? T0) + ms(10)).toString(),
              attributes: keyValues(s.attributes),
              status: s.status,
              events: (s.events ?? []).map((e) => ({
                name: e.name,
                timeUnixNano: e.time.toString(),
                attributes: keyValues(e.attributes),
              })),
              links: (s.links ?? []).map((l) => ({
                traceId: Buffer.from(l.traceId, "hex"),
                spanId: Buffer.from(l.spanId, "hex"),
                attributes: keyValues(l.attributes),
              })),
            })),
          },
        ],
      },
    ],
  });
  return type.encode(message).finish();
}

/** Auth headers that the backend accepts. */
export function authHeaders(backend: LocalBackend): Record<string, string> {
  return { authorization: `Bearer ${backend.apiKey}`, "x-organization-id": backend.organizationId };
}

/** A response, read fully. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

/** POSTs to the backend over real HTTP with valid credentials unless overridden. */
export async function post(
  backend: LocalBackend,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  method = "POST",
): Promise<Reply> {
  const res = await fetch(`${backend.url}${path}`, {
    method,
    headers: { ...authHeaders(backend), ...headers },
    // Copy into a plain ArrayBuffer-backed view, which is what BodyInit accepts.
    body: method === "GET" ? undefined : typeof body === "string" ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** Sends spans to the live (or offline) ingest endpoint of `projectName`. */
export function ingest(
  backend: LocalBackend,
  spans: SpanInput[],
  options: { offline?: boolean; projectName?: string; headers?: Record<string, string>; resource?: Record<string, unknown> } = {},
): Promise<Reply> {
  const path = options.offline ? "/otel/v1/offline-traces" : "/otel/v1/traces";
  return post(backend, path, encodeSpans(spans, options.resource), {
    "content-type": "application/x-protobuf",
    "x-project-id": backend.projectId(options.projectName ?? "test-project")!,
    ...options.headers,
  });
}
