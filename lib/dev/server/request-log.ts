import type { RequestRecord } from "./types.js";

/** The most recent requests, oldest first, with change notifications. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly limit: number) {}

  /** Appends a record the caller will fill in (status, size) as the request proceeds. */
  add(record: RequestRecord): RequestRecord {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    this.notify();
    return record;
  }

  /** Tells listeners that a record was updated in place. */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy of the records, oldest first. */
  list(): RequestRecord[] {
    return this.records.map((r) => ({ ...r, headers: { ...r.headers } }));
  }
}
