/**
 * The active bundles and policies as mutable holders: a publication builds the new bundle map or
 * policy registry completely, then swaps the reference in one assignment (atomic for every request
 * that reads it afterwards). The views give the routes the plain read-only interfaces they used
 * before, always reading the current value.
 */
import type { Bundle, CompiledPolicy, PolicyRegistry } from '../../engine/index.js';

export interface Holder<T> {
  get(): T;
  set(value: T): void;
}

export function holder<T>(value: T): Holder<T> {
  let current = value;
  return {
    get: () => current,
    set: (v) => {
      current = v;
    },
  };
}

export interface LiveState {
  bundles: Holder<ReadonlyMap<string, Bundle>>;
  policies: Holder<PolicyRegistry>;
}

export function liveState(bundles: ReadonlyMap<string, Bundle>, policies: PolicyRegistry): LiveState {
  return { bundles: holder(new Map(bundles)), policies: holder(policies) };
}

/** A ReadonlyMap that reads through to the holder's current map. */
export function liveBundles(h: Holder<ReadonlyMap<string, Bundle>>): ReadonlyMap<string, Bundle> {
  return {
    get: (k) => h.get().get(k),
    has: (k) => h.get().has(k),
    get size() {
      return h.get().size;
    },
    keys: () => h.get().keys(),
    values: () => h.get().values(),
    entries: () => h.get().entries(),
    forEach: (cb, thisArg) => h.get().forEach(cb, thisArg),
    [Symbol.iterator]: () => h.get()[Symbol.iterator](),
  };
}

/** A PolicyRegistry that reads through to the holder's current registry. */
export function liveRegistry(h: Holder<PolicyRegistry>): PolicyRegistry {
  return {
    get all() {
      return h.get().all;
    },
    versions: (id) => h.get().versions(id),
    inForce: (id, asOf) => h.get().inForce(id, asOf),
    national: (asOf) => h.get().national(asOf),
  };
}

/** A registry of exactly these compiled versions, one per policy id (replay on pinned versions). */
export function pinnedRegistry(pins: CompiledPolicy[]): PolicyRegistry {
  const byId = new Map(pins.map((p) => [p.doc.id, p]));
  return {
    all: pins,
    versions: (id) => (byId.has(id) ? [byId.get(id)!] : []),
    inForce: (id) => byId.get(id),
    national: () => pins.filter((p) => p.doc.level === 'national').sort((a, b) => a.doc.id.localeCompare(b.doc.id)),
  };
}
