import { endpoint } from "../config/credentials.js";
import { authHeaders } from "./headers.js";

/** Where and as whom tags are sent. */
export interface TagTarget {
  apiUrl: string;
  apiKey: string;
  organizationId: string;
}

/**
 * Sends trace tags in the background (WIRE.md, "trace tags"). Requests in flight are tracked so
 * a flush can wait for them; a failure is dropped silently, as tags are best-effort metadata.
 */
export class TagSender {
  private readonly pending = new Set<Promise<boolean>>();

  constructor(private readonly target: TagTarget) {}

  send(projectId: Promise<string | undefined>, traceId: string, tags: string[]): void {
    const done = projectId.then((id) => (id ? this.post(id, traceId, tags) : false));
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  /** Waits for every tag request in flight; true when all succeeded. */
  async flush(): Promise<boolean> {
    return (await Promise.all([...this.pending])).every(Boolean);
  }

  private async post(projectId: string, traceId: string, tags: string[]): Promise<boolean> {
    const { apiUrl, apiKey, organizationId } = this.target;
    try {
      const res = await fetch(endpoint(apiUrl, `/v1/projects/${encodeURIComponent(projectId)}/traces/${traceId}/tags`), {
        method: "POST",
        headers: { ...authHeaders(apiKey, organizationId), "Content-Type": "application/json" },
        body: JSON.stringify({ tags }),
        signal: AbortSignal.timeout(10000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok;
    } catch {
      return false;
    }
  }
}
