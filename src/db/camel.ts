/** `team_id` → `teamId`, at the type level: what `camel` does to a column name. */
type CamelKey<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelKey<T>>}` : S;

/** A row with its column names in camelCase, the one shape rows leave `db/` in. */
export type Camel<T> = { [K in keyof T as K extends string ? CamelKey<K> : K]: T[K] };

/** Column names are few and rows many: each name is converted once. */
const camelKeys = new Map<string, string>();
const camelKey = (k: string): string => {
  let c = camelKeys.get(k);
  if (c !== undefined) return c;
  c = k.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  if (camelKeys.size < 10_000) camelKeys.set(k, c);
  return c;
};

/**
 * The row as the rest of the code reads it: every column name in camelCase (`team_id` →
 * `teamId`), values untouched. SQL keeps the tables' snake_case names; every exported query
 * function returns its rows through this (or `camelRows`), never as they come from the driver.
 */
export function camel<T extends object>(row: T): Camel<T> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) {
    const v = (row as Record<string, unknown>)[k];
    const key = camelKey(k);
    // As Object.fromEntries would: an own property even for a column named __proto__.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as Camel<T>;
}

export const camelRows = <T extends object>(rows: readonly T[]): Camel<T>[] => rows.map(camel);

/** `camel` of a row that may be missing (`executeTakeFirst`). */
export const camelMaybe = <T extends object>(row: T | undefined): Camel<T> | undefined =>
  row === undefined ? undefined : camel(row);
