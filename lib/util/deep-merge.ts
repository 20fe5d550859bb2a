/** A JSON-like map, as Helm values are. */
export type PlainObject = Record<string, unknown>;

/** True for `{}`-style objects only: not arrays, null, class instances or tokens. */
export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges `overrides` into `base` the way Helm layers values files: plain objects merge key by
 * key, anything else (arrays, scalars, null) in `overrides` replaces what `base` has. `undefined`
 * in `overrides` leaves the base value alone. Neither input is modified; the result shares no
 * plain object with them.
 */
export function deepMerge<T extends PlainObject>(base: T, ...overrides: readonly PlainObject[]): T {
  let result: PlainObject = cloneObject(base);
  for (const override of overrides) result = mergeInto(result, override);
  return result as T;
}

function mergeInto(target: PlainObject, override: PlainObject): PlainObject {
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      target[key] = mergeInto(current, value);
    } else {
      target[key] = isPlainObject(value) ? cloneObject(value) : value;
    }
  }
  return target;
}

function cloneObject(source: PlainObject): PlainObject {
  const copy: PlainObject = {};
  for (const [key, value] of Object.entries(source)) {
    copy[key] = isPlainObject(value) ? cloneObject(value) : value;
  }
  return copy;
}
