import { isIP } from "node:net";
import { HttpError } from "./http-util.js";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const WILDCARD_BINDS = ["0.0.0.0", "::", ""];

/** The host name of a `Host` header or URL authority: lowercase, without port or IPv6 brackets. */
function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith("[")) return a.slice(1, a.indexOf("]") > 0 ? a.indexOf("]") : undefined);
  const colon = a.indexOf(":");
  return colon >= 0 && a.indexOf(":", colon + 1) < 0 ? a.slice(0, colon) : a;
}

/** True for a loopback name or address (`localhost`, `*.localhost`, 127.0.0.0/8, ::1). */
export function isLoopbackName(name: string): boolean {
  const h = hostName(name);
  if (LOOPBACK_NAMES.includes(h) || h.endsWith(".localhost")) return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/**
 * Guards against DNS rebinding and cross-site requests: a request is answered
 * only when its `Host` (and `Origin`, when a browser sends one) names this
 * machine's loopback, the address the server is bound to, or a name the user
 * allowed. `*` in the allowed list turns the check off.
 */
export class HostCheck {
  private readonly allowed: Set<string>;
  private readonly any: boolean;

  constructor(boundHost: string, extra: readonly string[] = []) {
    this.any = extra.includes("*");
    this.allowed = new Set(extra.map((h) => h.trim().toLowerCase()));
    const bound = hostName(boundHost);
    if (!WILDCARD_BINDS.includes(bound)) this.allowed.add(bound);
  }

  private permits(authority: string): boolean {
    const a = authority.trim().toLowerCase();
    return this.any || isLoopbackName(a) || this.allowed.has(a) || this.allowed.has(hostName(a));
  }

  /** @throws HttpError 403 naming the refused host or origin. */
  verify(host: string | undefined, origin: string | undefined): void {
    if (this.any) return;
    if (!host) throw new HttpError(403, "requests must carry a Host header");
    if (!this.permits(host)) {
      throw new HttpError(403, `Host "${host.slice(0, 200)}" is not allowed; allow it with --allow-host (or the allowedHosts option)`);
    }
    if (origin === undefined || origin === "null") return;
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new HttpError(403, "malformed Origin header");
    }
    if (!this.permits(originHost)) {
      throw new HttpError(
        403,
        `Origin "${origin.slice(0, 200)}" is not allowed; allow its host with --allow-host (or the allowedHosts option)`,
      );
    }
  }
}

/** Headers on every response: no framing, no sniffing, scripts and styles from this server only. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
};
