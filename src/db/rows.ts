import { sql } from 'kysely';

/**
 * A batch of rows as one query parameter: `from ${rows('k', { team_id: 'text' }, list)}` reads
 * `jsonb_to_recordset($1::jsonb) as k("team_id" text)`. However many members a job handles, a
 * batch costs one statement. Column names and types come from code, never from input.
 */
export function rows<T extends Record<string, unknown>>(
  alias: string,
  columns: { [K in keyof T]: string },
  list: readonly T[],
) {
  const defs = Object.entries(columns)
    .map(([name, type]) => `"${name}" ${String(type)}`)
    .join(', ');
  return sql`jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as ${sql.raw(alias)}(${sql.raw(defs)})`;
}

/** The (team, user) pairs of a batch of members, the most common batch. */
export function memberRows(alias: string, keys: readonly { teamId: string; userId: string }[]) {
  return rows(
    alias,
    { team_id: 'text', user_id: 'text' },
    keys.map((k) => ({ team_id: k.teamId, user_id: k.userId })),
  );
}
