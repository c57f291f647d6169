import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';

/**
 * Tables with a column naming a person, for checking that nothing is left (information_schema).
 * A new table naming someone in a column of another name adds that name here.
 */
export async function personColumns(db: Db): Promise<{ table: string; column: string }[]> {
  const r = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and column_name in ('user_id', 'mentor_id', 'mentee_id', 'owner_id', 'created_by', 'offered_by', 'resolved_by') order by 1, 2`.execute(
    db,
  );
  return r.rows.map((x) => ({ table: x.table_name, column: x.column_name }));
}
