import { log } from "../diag/log.js";
import { DEFAULT_PRICES, type ModelPrice, type PriceTable } from "./prices.js";
import type { TokenUsage } from "./usage.js";

// Snapshot and channel suffixes providers append to a model's base name, longest first so that
// `-2024-07-18` is not read as `-18`.
const SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /[-@]\d{8}$/, /-\d{3,4}$/, /-\d{2}-\d{2}$/, /-(latest|preview|exp)$/];

/** Names to look `model` up by, most specific first: itself, without provider prefix, then without snapshot suffixes. */
export function candidateNames(model: string): string[] {
  const full = model.trim().toLowerCase();
  const bare = full.slice(full.lastIndexOf("/") + 1);
  const names: string[] = [];
  for (const start of bare === full ? [full] : [full, bare]) {
    let name = start;
    names.push(name);
    for (let changed = true; changed;) {
      changed = false;
      for (const suffix of SUFFIXES) {
        const stripped = name.replace(suffix, "");
        if (stripped !== name && stripped.length > 0) {
          name = stripped;
          names.push(name);
          changed = true;
          break;
        }
      }
    }
  }
  return names;
}

function validPrice(price: unknown): price is ModelPrice {
  const p = price as Partial<ModelPrice> | null;
  const ok = (v: unknown, optional: boolean) => (optional && v === undefined) || (typeof v === "number" && Number.isFinite(v) && v >= 0);
  return !!p && typeof p === "object" && ok(p.input, false) && ok(p.output, false) && ok(p.cachedInput, true) && ok(p.cacheWrite, true);
}

const normalized = new WeakMap<object, Map<string, ModelPrice>>();

/** `table` with lowercase keys and invalid rows dropped, built once per table object. */
function lookupMap(table: PriceTable): Map<string, ModelPrice> {
  let map = normalized.get(table);
  if (!map) {
    map = new Map();
    for (const [name, price] of Object.entries(table)) {
      if (validPrice(price)) map.set(name.trim().toLowerCase(), price);
      else
        log.warnOnce(
          `price:${name}`,
          `prices: ignoring "${name}", which needs finite, non-negative input and output prices per million tokens.`,
        );
    }
    normalized.set(table, map);
  }
  return map;
}

// Lookups by table pair and model name: a call's price is found once, not per call. Bounded, as
// model names come from responses.
const found = new WeakMap<object, Map<string, ModelPrice | null>>();
const MAX_REMEMBERED = 512;

function lookup(model: string, overrides: PriceTable | undefined): ModelPrice | undefined {
  const tables = overrides ? [lookupMap(overrides), lookupMap(DEFAULT_PRICES)] : [lookupMap(DEFAULT_PRICES)];
  for (const name of candidateNames(model)) {
    for (const table of tables) {
      const price = table.get(name);
      if (price) return price;
    }
  }
  return undefined;
}

/** The price of `model`: `overrides` first at each name tried, then the built-in table. */
export function findPrice(model: string, overrides?: PriceTable): ModelPrice | undefined {
  const key = overrides ?? DEFAULT_PRICES;
  let remembered = found.get(key);
  if (!remembered) found.set(key, (remembered = new Map<string, ModelPrice | null>()));
  const known = remembered.get(model);
  if (known !== undefined) return known ?? undefined;
  const price = lookup(model, overrides);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(model, price ?? null);
  return price;
}

/** Cost in USD of `usage` at `price`; undefined when no token count is known. */
export function costUsd(price: ModelPrice, usage: TokenUsage): number | undefined {
  const { nonCachedInput, cacheRead, cacheCreation, output } = usage;
  if (nonCachedInput === undefined && cacheRead === undefined && cacheCreation === undefined && output === undefined) return undefined;
  const perMillion =
    (nonCachedInput ?? 0) * price.input +
    (cacheRead ?? 0) * (price.cachedInput ?? price.input) +
    (cacheCreation ?? 0) * (price.cacheWrite ?? price.input) +
    (output ?? 0) * price.output;
  return perMillion / 1e6;
}
