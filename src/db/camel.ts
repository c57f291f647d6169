/** `team_id` → `teamId`, at the type level: what `camel` does to a column name. */
type CamelKey<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelKey<T>>}` : S;

/** A row with its column names in camelCase, the one shape rows leave `db/` in. */
export type Camel<T> = { [K in keyof T as K extends string ? CamelKey<K> : K]: T[K] };

const camelKey = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The row as the rest of the code reads it: every column name in camelCase (`team_id` →
 * `teamId`), values untouched. SQL keeps the tables' snake_case names; every exported query
 * function returns its rows through this (or `camelRows`), never as they come from the driver.
 */
export function camel<T extends object>(row: T): Camel<T> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camelKey(k), v])) as Camel<T>;
}

export const camelRows = <T extends object>(rows: readonly T[]): Camel<T>[] => rows.map(camel);

/** `camel` of a row that may be missing (`executeTakeFirst`). */
export const camelMaybe = <T extends object>(row: T | undefined): Camel<T> | undefined =>
  row === undefined ? undefined : camel(row);
