import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { SpanSpool } from "./transport.js";
import { log } from "../diag/log.js";
import { MAX_BATCH_BYTES } from "./finish.js";

/** A spooled body is one export request: anything larger was not written by us and is not read. */
const MAX_SPOOL_FILE_BYTES = 2 * MAX_BATCH_BYTES;
/**
 * The most a spool directory holds, all projects together: a write that would take it past this
 * is refused (the newest spans are the ones dropped, counted and reported), and what is already
 * on disk stays until it is delivered.
 */
export const SPOOL_QUOTA_BYTES = 512 * 1024 * 1024;
/** A `.tmp` file older than this is a write that never finished (a crash, a full disk). */
const STALE_TMP_MILLIS = 60_000;
/** Not defined on every platform (Windows): the lstat check before opening still applies there. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * A directory of export requests that could not be delivered, kept across restarts. Each file is
 * one OTLP protobuf request body; its name says which endpoint and project it belongs to, so a
 * later process of the same project re-sends it and no other does.
 *
 * The bodies hold your spans (inputs and outputs included), so the directory is private to the
 * user (0700, files 0600); a symlink is never followed, a file over
 * {@link MAX_SPOOL_FILE_BYTES} never read, and temp files of writes cut short are removed.
 */
export class Spool implements SpanSpool {
  /** The most request bytes the directory holds, for messages. */
  readonly quotaBytes = SPOOL_QUOTA_BYTES;
  private readonly prefix: string;
  private draining: Promise<boolean> | undefined;
  private ready: boolean | undefined;
  /** Bytes of request bodies in the directory: summed once when it is first used, then kept up to date. */
  private bytes = 0;

  constructor(
    private readonly dir: string,
    /** Endpoint path and project id, e.g. "/otel/v1/traces" and "proj-1". */
    path: string,
    projectId: string,
  ) {
    this.prefix = `${encodeURIComponent(path.replace(/^\/+/, ""))}~${encodeURIComponent(projectId)}~`;
    this.removeStaleTemps();
  }

  /**
   * Creates the directory (0700) or checks an existing one: a real directory (not a symlink),
   * owned by this user, made private if it was not. False, with one warning, when unusable.
   */
  private prepare(): boolean {
    if (this.ready !== undefined) return this.ready;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const stat = lstatSync(this.dir);
      const uid = process.getuid?.();
      if (!stat.isDirectory()) throw new Error("it is not a directory (a symlink?)");
      if (uid !== undefined && stat.uid !== uid) throw new Error("it belongs to another user");
      if ((stat.mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
      this.bytes = this.sizeOnDisk();
      this.ready = true;
    } catch (err) {
      log.warnOnce(
        `spool:${this.dir}`,
        `spoolDir ${this.dir} is not used: ${(err as Error).message}. Undelivered spans are dropped instead.`,
      );
      this.ready = false;
    }
    return this.ready;
  }

  /** Whether the directory is usable and has room for `bytes` more within {@link SPOOL_QUOTA_BYTES}. */
  hasRoom(bytes = 0): boolean {
    return this.prepare() && this.bytes + bytes <= SPOOL_QUOTA_BYTES;
  }

  /** Total size of the request bodies in the directory (of every project: the quota is the directory's). */
  private sizeOnDisk(): number {
    let total = 0;
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith(".otlp")) continue;
      try {
        total += lstatSync(join(this.dir, f)).size;
      } catch {
        // taken by a drain meanwhile
      }
    }
    return total;
  }

  /**
   * Writes one request body synchronously (callers may be in a process-exit path). False when the
   * directory is unusable, the quota would be exceeded, or the write failed. Never throws.
   */
  write(body: Uint8Array): boolean {
    if (body.byteLength > MAX_SPOOL_FILE_BYTES || !this.hasRoom(body.byteLength)) return false;
    const name = `${this.prefix}${Date.now()}-${randomBytes(4).toString("hex")}.otlp`;
    const tmp = join(this.dir, `${name}.tmp`);
    let fd: number | undefined;
    try {
      // O_EXCL: never write through a file (or link) someone planted under this name
      fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
      for (let at = 0; at < body.byteLength;) at += writeSync(fd, body, at);
      closeSync(fd);
      fd = undefined;
      // a rename is atomic: a concurrent drain never reads half a file
      renameSync(tmp, join(this.dir, name));
      this.bytes += body.byteLength;
      return true;
    } catch {
      if (fd !== undefined) closeSync(fd);
      remove(tmp); // a full disk must not leave half a file behind
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

  /** Removes `.tmp` files of this endpoint and project that no writer finished in time. */
  private removeStaleTemps(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const f of names) {
      if (!f.startsWith(this.prefix) || !f.endsWith(".otlp.tmp")) continue;
      try {
        if (now - lstatSync(join(this.dir, f)).mtimeMs > STALE_TMP_MILLIS) remove(join(this.dir, f));
      } catch {
        // gone already
      }
    }
  }

  /**
   * One spooled body, read without following a symlink and only when it is a regular file within
   * the size cap; undefined otherwise (and a planted or oversized file is removed, unread).
   */
  private read(path: string): Uint8Array | undefined {
    let fd: number | undefined;
    try {
      if (!lstatSync(path).isFile()) return discard(path, "not a regular file");
      fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW);
      const { size } = fstatSync(fd);
      if (size > MAX_SPOOL_FILE_BYTES) return discard(path, `over ${MAX_SPOOL_FILE_BYTES} bytes`);
      const body = Buffer.allocUnsafe(size);
      for (let at = 0; at < size;) {
        const n = readSync(fd, body, at, size - at, at);
        if (n === 0) return undefined;
        at += n;
      }
      return body;
    } catch (err) {
      // ELOOP: a symlink swapped in after the check
      return (err as NodeJS.ErrnoException).code === "ELOOP" ? discard(path, "a symlink") : undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Settles when no drain is running. */
  async idle(): Promise<void> {
    await this.draining;
  }

  /**
   * Re-sends spooled bodies in order with `send`, deleting each one delivered; stops at the first
   * failure (the backend is still away). One drain at a time; true when it got through every file
   * it found.
   */
  drain(send: (body: Uint8Array) => Promise<boolean>): Promise<boolean> {
    this.draining ??= (async () => {
      const files = this.files();
      // the directory is checked (owner, symlink) before anything in it is read
      if (files.length === 0 || !this.prepare()) return files.length === 0;
      for (const file of files) {
        const path = join(this.dir, file);
        const body = this.read(path);
        if (body === undefined) continue;
        if (!(await send(body))) return false;
        // may be taken by another process of the same project already
        if (remove(path)) this.bytes = Math.max(0, this.bytes - body.byteLength);
      }
      return true;
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }
}

function remove(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes a file the spool will not read, saying why once per reason. */
function discard(path: string, why: string): undefined {
  remove(path);
  log.warnOnce(`spool-discard:${why}`, `removed a spool file that is ${why}, unread: ${path}`);
  return undefined;
}
