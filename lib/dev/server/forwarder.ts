/** Requests waiting to be forwarded before the oldest are dropped. */
const MAX_QUEUED = 256;
const MAX_IN_FLIGHT = 4;
const TIMEOUT_MS = 10_000;

/** One ingest request as received, to send on unchanged. */
export interface ForwardedRequest {
  body: Buffer;
  contentType: string;
  contentEncoding: string | undefined;
}

/** Totals of the forwarder, for the backend's counters. */
export interface ForwardStats {
  forwarded: number;
  forwardFailures: number;
  forwardDropped: number;
}

/** Credentials written into a URL (`scheme://user:password@`), wherever they appear in `text`. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/gi;

/** `text` with the credentials of every URL in it replaced: `https://[REDACTED]@host`. For anything printed. */
export function redactUserinfo(text: string): string {
  return text.replace(USERINFO, "$1[REDACTED]@");
}

/** The target without its credentials, and those credentials as a Basic `authorization` header (fetch refuses them in the URL). */
function splitCredentials(target: string): { endpoint: string; authorization: string | undefined } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { endpoint: target, authorization: undefined }; // fails at the first send, with its warning
  }
  if (url.username === "" && url.password === "") return { endpoint: url.href, authorization: undefined };
  const user = `${decoded(url.username)}:${decoded(url.password)}`;
  url.username = "";
  url.password = "";
  return { endpoint: url.href, authorization: `Basic ${Buffer.from(user).toString("base64")}` };
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Sends accepted ingest requests on to another OTLP/HTTP endpoint (a Collector,
 * another backend), a few at a time, without ever holding up ingest: when the
 * target is slower than the senders, the oldest waiting requests are dropped
 * and counted. Failures are counted and reported once through `warn`.
 */
export class Forwarder {
  readonly stats: ForwardStats = { forwarded: 0, forwardFailures: 0, forwardDropped: 0 };
  private readonly queue: ForwardedRequest[] = [];
  private inFlight = 0;
  private warned = false;

  /** The target as printed: credentials in its URL never are. */
  readonly target: string;
  private readonly endpoint: string;
  private readonly authorization: string | undefined;

  constructor(
    target: string,
    private readonly warn: (message: string) => void,
  ) {
    this.target = redactUserinfo(target);
    ({ endpoint: this.endpoint, authorization: this.authorization } = splitCredentials(target));
  }

  send(request: ForwardedRequest): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
      this.stats.forwardDropped += 1;
    }
    this.queue.push(request);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.inFlight += 1;
      void this.post(next).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async post(request: ForwardedRequest): Promise<void> {
    const headers: Record<string, string> = { "content-type": request.contentType };
    if (request.contentEncoding) headers["content-encoding"] = request.contentEncoding;
    if (this.authorization) headers.authorization = this.authorization;
    try {
      const res = await fetch(this.endpoint, {
        method: "POST",
        headers,
        body: new Uint8Array(request.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.stats.forwarded += 1;
    } catch (err) {
      this.stats.forwardFailures += 1;
      if (!this.warned) {
        this.warned = true;
        this.warn(redactUserinfo(`forwarding to ${this.target} failed (${(err as Error).message}); further failures are only counted`));
      }
    }
  }
}
