import type { TextMapGetter, TextMapSetter } from "@opentelemetry/api";

/**
 * Anything that holds headers: Node's `IncomingHttpHeaders`, a fetch `Headers`, a plain object
 * (keys in any case), or a `Map`.
 */
export type Carrier = Record<string, unknown> | { get(name: string): unknown } | Map<string, unknown>;

/** Objects whose keys are elements or characters, not header names: read as empty, not walked. */
function notHeaders(carrier: object): boolean {
  return Array.isArray(carrier) || ArrayBuffer.isView(carrier) || carrier instanceof ArrayBuffer || carrier instanceof String;
}

function rawGet(carrier: unknown, key: string): unknown {
  if (carrier === null || typeof carrier !== "object" || notHeaders(carrier)) return undefined;
  const getter = (carrier as { get?: unknown }).get;
  if (typeof getter === "function") return getter.call(carrier, key);
  const record = carrier as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, key)) return record[key];
  for (const name of Object.keys(record)) if (name.toLowerCase() === key) return record[name];
  return undefined;
}

/** One string value per header, read case-insensitively; anything unexpected reads as absent. */
function headerValue(carrier: unknown, key: string): string | undefined {
  let value: unknown;
  try {
    value = rawGet(carrier, key);
  } catch {
    return undefined;
  }
  if (typeof value === "string") return value;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return undefined;
  // Repeated baggage and tracestate headers are legal and join with ","; a repeated traceparent is ambiguous.
  if (key === "baggage" || key === "tracestate") return value.join(",");
  return value.length === 1 ? value[0] : undefined;
}

export const carrierGetter: TextMapGetter<unknown> = {
  keys(carrier) {
    try {
      if (carrier instanceof Map) return [...carrier.keys()].map(String);
      return carrier && typeof carrier === "object" && !notHeaders(carrier) ? Object.keys(carrier) : [];
    } catch {
      return [];
    }
  },
  get(carrier, key) {
    return headerValue(carrier, key.toLowerCase());
  },
};

export const carrierSetter: TextMapSetter<unknown> = {
  set(carrier, key, value) {
    if (carrier === null || typeof carrier !== "object") return;
    const setter = (carrier as { set?: unknown }).set;
    if (typeof setter === "function") setter.call(carrier, key, value);
    else (carrier as Record<string, unknown>)[key] = value;
  },
};
