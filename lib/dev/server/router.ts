import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireRoute } from "./faults.js";

/** What a handler gets for one request. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Named groups of the route pattern, URI-decoded. */
  params: Record<string, string>;
  url: URL;
  /** Sets the request-log body size once the handler has read the body. */
  noteBodyBytes(bytes: number): void;
}

/** One endpoint. */
export interface Route {
  method: "GET" | "POST";
  /** Anchored pattern over the path; named groups become `params`. */
  pattern: RegExp;
  /** Set on the wire endpoints (docs/wire.md): they need credentials and can draw faults. */
  wire?: WireRoute;
  handle(ctx: RouteContext): Promise<void> | void;
}

/** The outcome of matching a request against the route table. */
export type RouteMatch = { route: Route; params: Record<string, string> } | { status: 404 } | { status: 405; allow: string[] };

/** Finds the route for a method and path: 404 when no path matches, 405 when only the method is wrong. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allow: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method && !(route.method === "GET" && method === "HEAD")) {
      allow.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(m.groups ?? {})) params[name] = safeDecode(value);
    return { route, params };
  }
  return allow.length > 0 ? { status: 405, allow } : { status: 404 };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
