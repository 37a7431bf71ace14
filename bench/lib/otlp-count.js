"use strict";
/**
 * Counts spans in an OTLP ExportTraceServiceRequest without decoding them.
 *
 * Protobuf: walks the wire format just deep enough to count field 2 (spans) of
 * every ScopeSpans (field 2) of every ResourceSpans (field 1). JSON: parses the
 * body and counts resourceSpans[].scopeSpans[].spans[].
 */

/** Reads a varint at `pos`; returns [value, nextPos]. Values above 2^53 are not needed here. */
function varint(buf, pos) {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error("truncated varint");
    const byte = buf[pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos];
    scale *= 128;
  }
}

/** Calls `onField(fieldNumber, start, end)` for each length-delimited field of the message in buf[start, end). */
function eachLengthDelimited(buf, start, end, onField) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = varint(buf, pos);
    const field = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        [, pos] = varint(buf, pos);
        break;
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        let len;
        [len, pos] = varint(buf, pos);
        onField(field, pos, pos + len);
        pos += len;
        break;
      }
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
}

function countProtobuf(buf) {
  let spans = 0;
  eachLengthDelimited(buf, 0, buf.length, (f1, s1, e1) => {
    if (f1 !== 1) return; // ResourceSpans
    eachLengthDelimited(buf, s1, e1, (f2, s2, e2) => {
      if (f2 !== 2) return; // ScopeSpans
      eachLengthDelimited(buf, s2, e2, (f3) => {
        if (f3 === 2) spans++; // Span
      });
    });
  });
  return spans;
}

/** Whether the Span message in buf[start, end) has a non-zero end_time_unix_nano (field 8, fixed64). */
function spanEnded(buf, start, end) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = varint(buf, pos);
    switch (key & 7) {
      case 0:
        [, pos] = varint(buf, pos);
        break;
      case 1:
        if (key >>> 3 === 8) return buf.readBigUInt64LE(pos) !== 0n;
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        let len;
        [len, pos] = varint(buf, pos);
        pos += len;
        break;
      }
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
  return false;
}

/**
 * Spans of a protobuf export that have ended, leaving out the partial copies of open spans
 * (judgeval sends those with end time 0): each span counts once, at its final copy.
 */
function countEndedProtobuf(buf) {
  let ended = 0;
  eachLengthDelimited(buf, 0, buf.length, (f1, s1, e1) => {
    if (f1 !== 1) return;
    eachLengthDelimited(buf, s1, e1, (f2, s2, e2) => {
      if (f2 !== 2) return;
      eachLengthDelimited(buf, s2, e2, (f3, s3, e3) => {
        if (f3 === 2 && spanEnded(buf, s3, e3)) ended++;
      });
    });
  });
  return ended;
}

function countJson(buf) {
  const body = JSON.parse(buf.toString("utf8"));
  let spans = 0;
  for (const rs of body.resourceSpans ?? body.resource_spans ?? []) {
    for (const ss of rs.scopeSpans ?? rs.scope_spans ?? []) spans += (ss.spans ?? []).length;
  }
  return spans;
}

/** Number of spans in an OTLP trace export body of the given content type. */
function countSpans(buf, contentType) {
  return /json/i.test(contentType ?? "") ? countJson(buf) : countProtobuf(buf);
}

module.exports = { countSpans, countProtobuf, countJson, countEndedProtobuf };
