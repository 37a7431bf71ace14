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

/**
 * Calls `onField(fieldNumber, wireType, from, to)` for each field of the message in buf[start, end):
 * buf[from, to) is the field's value (for a length-delimited field, its bytes).
 */
function eachField(buf, start, end, onField) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = varint(buf, pos);
    const type = key & 7;
    let from = pos;
    switch (type) {
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
        [len, from] = varint(buf, pos);
        pos = from + len;
        break;
      }
      default:
        throw new Error(`unsupported wire type ${type}`);
    }
    onField(Math.floor(key / 8), type, from, pos);
  }
}

/** Calls `onField(fieldNumber, start, end)` for each length-delimited field of the message in buf[start, end). */
function eachLengthDelimited(buf, start, end, onField) {
  eachField(buf, start, end, (field, type, from, to) => {
    if (type === 2) onField(field, from, to);
  });
}

/** Calls `onSpan(start, end)` for each Span (field 2) of every ScopeSpans (field 2) of every ResourceSpans (field 1). */
function eachSpan(buf, onSpan) {
  eachLengthDelimited(buf, 0, buf.length, (f1, s1, e1) => {
    if (f1 !== 1) return; // ResourceSpans
    eachLengthDelimited(buf, s1, e1, (f2, s2, e2) => {
      if (f2 !== 2) return; // ScopeSpans
      eachLengthDelimited(buf, s2, e2, (f3, s3, e3) => {
        if (f3 === 2) onSpan(s3, e3); // Span
      });
    });
  });
}

function countProtobuf(buf) {
  let spans = 0;
  eachSpan(buf, () => spans++);
  return spans;
}

/** Whether the Span message in buf[start, end) has a non-zero end_time_unix_nano (field 8, fixed64). */
function spanEnded(buf, start, end) {
  let ended = false;
  eachField(buf, start, end, (field, type, from) => {
    if (field === 8 && type === 1) ended = buf.readBigUInt64LE(from) !== 0n;
  });
  return ended;
}

/**
 * Spans of a protobuf export that have ended, leaving out the partial copies of open spans
 * (judgeval sends those with end time 0): each span counts once, at its final copy.
 */
function countEndedProtobuf(buf) {
  let ended = 0;
  eachSpan(buf, (start, end) => {
    if (spanEnded(buf, start, end)) ended++;
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
