/**
 * A reader of the protobuf wire format (varints, fixed-width numbers and
 * length-delimited fields) over one request body. It reads in place: strings
 * and ids are cut straight from the bytes, nanosecond timestamps are turned into
 * decimal text without BigInt, and nothing else is allocated. Every read checks
 * its bounds and throws {@link WireFormatError} on a truncated or ill-formed body.
 */

/** The body is not valid protobuf. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

// Wire types of the protobuf encoding.
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

const TWO_32 = 4294967296;
// Strings this short are decoded in JavaScript when ASCII: cheaper than a call into the runtime.
const SHORT_STRING = 24;

export class WireReader {
  /** Position of the next byte to read. */
  pos = 0;
  /** High and low 32 bits of the last {@link nanos} read. */
  hi = 0;
  lo = 0;
  private readonly buf: Buffer;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.buf.length;
  }

  /** A varint of at most 32 significant bits (tags, lengths, enums, bools), as an unsigned number. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= buf.length) throw truncated();
      const b = buf[pos++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        return value > 0xffffffff ? value % TWO_32 : value;
      }
    }
    // Longer varints (negative int32 values take 10 bytes): keep the low 32 bits.
    for (let i = 0; i < 5; i++) {
      if (pos >= buf.length) throw truncated();
      if (buf[pos++] < 0x80) {
        this.pos = pos;
        return value % TWO_32;
      }
    }
    throw new WireFormatError("varint longer than 10 bytes");
  }

  /** A varint read as a signed 64-bit integer, converted to the nearest number. */
  int64(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let pos = this.pos;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw truncated();
      const b = buf[pos++];
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) {
        this.pos = pos;
        return (hi | 0) * TWO_32 + (lo >>> 0);
      }
    }
    throw new WireFormatError("varint longer than 10 bytes");
  }

  /** A little-endian double. */
  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A fixed64 count of nanoseconds as canonical decimal text (no leading zeros); its halves are left in {@link hi} and {@link lo}. */
  nanos(): string {
    this.need(8);
    const lo = (this.lo = this.buf.readUInt32LE(this.pos));
    const hi = (this.hi = this.buf.readUInt32LE(this.pos + 4));
    this.pos += 8;
    if (hi < 0x200000) return String(hi * TWO_32 + lo);
    // 2^32 = 4294 * 10^6 + 967296: split the value into a millions part and the rest, both exact.
    let low = hi * 967296 + lo;
    const carry = Math.floor(low / 1e6);
    low -= carry * 1e6;
    const high = hi * 4294 + carry;
    return `${high}${String(low).padStart(6, "0")}`;
  }

  /** The end of a length-delimited field whose length comes next. */
  delimited(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.buf.length) throw truncated();
    return end;
  }

  /**
   * Moves to the next field `tag` (a length-delimited message) before `end`, skipping the others,
   * and returns where its content ends; -1 when there is none left.
   */
  nextMessage(end: number, tag: number): number {
    while (this.pos < end) {
      const t = this.uint32();
      if (t === tag) return this.delimited();
      this.skip(t & 7);
    }
    return -1;
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    const end = this.delimited();
    return this.text(this.pos, end);
  }

  /** The bytes from `start` to `end` as UTF-8 text; reading goes on at `end`. */
  private text(start: number, end: number): string {
    this.pos = end;
    const buf = this.buf;
    if (end - start <= SHORT_STRING) {
      let out = "";
      for (let i = start; i < end; i++) {
        const c = buf[i];
        if (c >= 0x80) return buf.toString("utf8", start, end);
        out += String.fromCharCode(c);
      }
      return out;
    }
    return buf.toString("utf8", start, end);
  }

  /**
   * A length-delimited field as UTF-8 text, for text that repeats (attribute
   * keys): short ASCII keys are looked up in a bounded cache by their bytes, so
   * each request reuses the same strings rather than building new ones.
   */
  key(): string {
    const end = this.delimited();
    const start = this.pos;
    const len = end - start;
    if (len > MAX_CACHED_KEY) return this.text(start, end);
    const buf = this.buf;
    let hash = len;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + buf[i]) | 0;
    const cached = keyCache.get(hash);
    if (cached !== undefined && cached.length === len && sameAscii(cached, buf, start)) {
      this.pos = end;
      return cached;
    }
    const text = this.text(start, end);
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
    // As many characters as bytes: each byte became one character (ASCII, or U+FFFD for a stray byte, which no byte
    // matches in sameAscii), so a later hit is exactly these bytes.
    if (text.length === len) keyCache.set(hash, text);
    return text;
  }

  /** A length-delimited field as lowercase hex. */
  hex(): string {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    return this.buf.toString("hex", start, end);
  }

  /** Skips the value of a field of `wireType`. */
  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.int64();
        return;
      case FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case BYTES:
        this.pos = this.delimited();
        return;
      case FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new WireFormatError(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw truncated();
  }
}

// Attribute keys up to this many bytes are cached, at most this many of them (the cache starts over when full).
const MAX_CACHED_KEY = 64;
const MAX_CACHED_KEYS = 4096;
const keyCache = new Map<number, string>();

function sameAscii(text: string, buf: Buffer, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

function truncated(): WireFormatError {
  return new WireFormatError("index out of range: the body ends inside a field");
}
