/** Protobuf wire types: how a field's value is laid out, the low three bits of its key. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

/** A field's key as it precedes the value on the wire: the field number, then the wire type. */
export const key = (field: number, wireType: number): number => (field << 3) | wireType;
