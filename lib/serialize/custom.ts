import { SuperJSON } from "superjson";

/** The part of a superjson custom transformer this module uses. */
interface CustomTransformer {
  serialize(value: unknown): unknown;
}

interface TransformerRegistry {
  findApplicable(value: unknown): CustomTransformer | undefined;
}

/**
 * The registry behind superjson's `registerCustom`, so that a type a user
 * taught superjson (Decimal, ObjectId, …) reads the same in spans. superjson
 * keeps its default instance private; should that ever change shape, custom
 * types simply fall back to the plain class-instance rendering.
 */
const registry: TransformerRegistry | undefined = (() => {
  const holder = SuperJSON as unknown as { defaultInstance?: { customTransformerRegistry?: unknown } };
  const candidate = holder.defaultInstance?.customTransformerRegistry as Partial<TransformerRegistry> | undefined;
  return typeof candidate?.findApplicable === "function" ? (candidate as TransformerRegistry) : undefined;
})();

/** Returned by {@link customSerialize} when no transformer applies. */
export const NOT_CUSTOM: unique symbol = Symbol("not custom");

/** The JSON-ready form of `value` from a superjson custom transformer
 * registered for it, or {@link NOT_CUSTOM}. May throw (user code). */
export function customSerialize(value: object): unknown {
  const transformer = registry?.findApplicable(value);
  return transformer === undefined ? NOT_CUSTOM : transformer.serialize(value);
}
