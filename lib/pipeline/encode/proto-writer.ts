import { Buffer } from "node:buffer";

/** Hex digit → its value; anything else reads as 0. */
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[65 + i] = NIBBLE[97 + i] = 10 + i;

/** Scratch for a double's little-endian bytes. */
const DOUBLE_BYTES = new Uint8Array(8);
const DOUBLE = new DataView(DOUBLE_BYTES.buffer);

/** Bytes of `v` (a non-negative 32-bit length) as a varint. */
export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Strings this short are copied by a loop here; longer ones by the runtime's UTF-8 writer. */
const SHORT_STRING = 64;
/** A scratch buffer grown past this is let go after the request, so one huge batch isn't held for good. */
const KEEP_BYTES = 1 << 20;

/**
 * A protobuf writer in a single pass. A length-delimited field reserves the bytes its length is
 * expected to take ({@link begin}) and writes it once the body is done ({@link end}); a wrong
 * guess moves the body, so the guess only costs speed, never correctness. Strings are written
 * once, with no separate pass to measure them. The buffer is reused from one request to the
 * next and each request gets a copy ({@link take}).
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /**
   * The bytes written since {@link reset}, as a copy the caller owns, exactly their size. The copy's
   * memory is not zero-filled first (every byte of it is written here): for a 300 KB batch that
   * fill cost several times the copy.
   */
  take(): Uint8Array {
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    if (this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafeSlow(KEEP_BYTES);
    this.pos = 0;
    return out;
  }

  reset(): void {
    this.pos = 0;
  }

  /** A tag (or any value) below 128, as one byte. */
  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint of a value in 0 … 2^32-1. */
  uint32(v: number): void {
    this.room(5);
    const buf = this.buf;
    let p = this.pos;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** An int64 varint of an integral number (negative ones in two's complement, ten bytes). */
  int64(v: number): void {
    if (v >= 0 && v <= 0xffffffff) return this.uint32(v);
    let lo: number;
    let hi: number;
    if (v >= 0) {
      lo = v >>> 0;
      hi = Math.floor(v / 0x100000000) >>> 0;
    } else {
      const a = -v;
      lo = ~(a >>> 0) >>> 0;
      hi = ~(Math.floor(a / 0x100000000) >>> 0) >>> 0;
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    this.room(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi > 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  fixed32(v: number): void {
    this.room(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v;
    buf[p + 1] = v >>> 8;
    buf[p + 2] = v >>> 16;
    buf[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  fixed64(lo: number, hi: number): void {
    this.fixed32(lo);
    this.fixed32(hi);
  }

  double(v: number): void {
    DOUBLE.setFloat64(0, v, true);
    this.room(8);
    this.buf.set(DOUBLE_BYTES, this.pos);
    this.pos += 8;
  }

  /** Length-prefixed bytes. */
  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.raw(b);
  }

  /** Bytes as they are (an already encoded field). */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Length-prefixed bytes of a hex string (trace and span ids), decoded straight into the buffer. */
  hex(h: string): void {
    const n = h.length >>> 1;
    this.room(5 + n);
    if (n < 0x80) this.buf[this.pos++] = n;
    else this.uint32(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < 2 * n; i += 2) buf[p++] = (NIBBLE[h.charCodeAt(i) & 0x7f] << 4) | NIBBLE[h.charCodeAt(i + 1) & 0x7f];
    this.pos = p;
  }

  /** Length-prefixed UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
  string(s: string): void {
    const n = s.length;
    this.room(5 + 3 * n);
    const buf = this.buf;
    if (n < SHORT_STRING) {
      // Copied as ASCII until a character says otherwise.
      let p = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = p;
        return;
      }
    }
    const at = this.begin(varintSize(n));
    this.pos += buf.write(s, this.pos, "utf8");
    this.end(at, varintSize(n));
  }

  /**
   * Starts a length-delimited body, reserving `reserve` bytes for its length; returns where
   * the length goes, for {@link end}.
   */
  begin(reserve: number): number {
    this.room(reserve);
    const at = this.pos;
    this.pos += reserve;
    return at;
  }

  /** Writes the length of the body started at `at`, moving the body if the reservation was off. */
  end(at: number, reserve: number): void {
    const len = this.pos - at - reserve;
    const n = varintSize(len);
    if (n !== reserve) {
      this.room(n - reserve);
      this.buf.copyWithin(at + n, at + reserve, this.pos);
      this.pos += n - reserve;
    }
    const buf = this.buf;
    let v = len;
    let p = at;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
  }
}
