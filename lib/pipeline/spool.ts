import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * A directory of export requests that could not be delivered, kept across restarts. Each file is
 * one OTLP protobuf request body; its name says which endpoint and project it belongs to, so a
 * later process of the same project re-sends it and no other does.
 */
export class Spool {
  private readonly prefix: string;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    /** Endpoint path and project id, e.g. "/otel/v1/traces" and "proj-1". */
    path: string,
    projectId: string,
  ) {
    this.prefix = `${encodeURIComponent(path.replace(/^\/+/, ""))}~${encodeURIComponent(projectId)}~`;
  }

  /** Writes one request body synchronously (callers may be in a process-exit path). Never throws. */
  write(body: Uint8Array): boolean {
    try {
      mkdirSync(this.dir, { recursive: true });
      const name = `${this.prefix}${Date.now()}-${randomBytes(4).toString("hex")}.otlp`;
      writeFileSync(join(this.dir, `${name}.tmp`), body);
      // a rename is atomic: a concurrent drain never reads half a file
      renameSync(join(this.dir, `${name}.tmp`), join(this.dir, name));
      return true;
    } catch {
      return false;
    }
  }

  /** Files of this endpoint and project, oldest first. */
  private files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((f) => f.startsWith(this.prefix) && f.endsWith(".otlp"))
        .sort();
    } catch {
      return [];
    }
  }

  /** Settles when no drain is running. */
  async idle(): Promise<void> {
    await this.draining;
  }

  /**
   * Re-sends spooled bodies in order with `send`, deleting each one delivered; stops at the first
   * failure (the backend is still away). One drain at a time.
   */
  drain(send: (body: Uint8Array) => Promise<boolean>): Promise<void> {
    this.draining ??= (async () => {
      for (const file of this.files()) {
        const path = join(this.dir, file);
        let body: Uint8Array;
        try {
          body = readFileSync(path);
        } catch {
          continue;
        }
        if (!(await send(body))) break;
        try {
          unlinkSync(path);
        } catch {
          // already taken by another process of the same project
        }
      }
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }
}
