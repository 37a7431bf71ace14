/**
 * The default span-attribute serializer: any value to readable, valid,
 * size-capped JSON, without ever throwing.
 */
export { createSerializer, safeSerialize } from "./serializer.js";
export type { Serializer, SerializerOptions } from "./serializer.js";
export { capString } from "./cap.js";
export { DEFAULT_MAX_ATTRIBUTE_BYTES } from "./limits.js";
