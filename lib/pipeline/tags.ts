import { drain, postToApi, type ApiTarget } from "./api.js";

/**
 * Sends trace tags in the background (WIRE.md, "trace tags"). Requests in flight are tracked so
 * a flush can wait for them; a failure is dropped silently, as tags are best-effort metadata.
 */
export class TagSender {
  private readonly pending = new Set<Promise<boolean>>();

  constructor(private readonly target: ApiTarget) {}

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
    try {
      const path = `/v1/projects/${encodeURIComponent(projectId)}/traces/${traceId}/tags`;
      const res = await postToApi(this.target, path, JSON.stringify({ tags }), "application/json", 10000);
      await drain(res);
      return res.ok;
    } catch {
      return false;
    }
  }
}
