import { sql } from 'kysely';
import type { Db } from './create-db.ts';

// The workspace's one send pace, on the database's clock (statement_timestamp), so instances
// whose clocks disagree still agree on it.

/**
 * Takes the workspace's next free send slot, `intervalMs` after the one before it and never
 * inside a 429 pause, and returns how long to wait for it (ms). Every instance takes its slots
 * from the same row, so together they start at most one call per interval.
 */
export async function reserveSendSlot(db: Db, teamId: string, intervalMs: number): Promise<number> {
  const step = sql`(${intervalMs}::float8 * interval '1 millisecond')`;
  const r = await sql<{ wait_ms: number }>`
    insert into send_pace as p (team_id, next_at, paused_until)
    values (${teamId}, statement_timestamp() + ${step}, statement_timestamp())
    on conflict (team_id) do update
      set next_at = greatest(p.next_at, p.paused_until, statement_timestamp()) + ${step}
    returning greatest(0, extract(epoch from (p.next_at - ${step} - statement_timestamp())) * 1000)::float8 as wait_ms`.execute(
    db,
  );
  return Number(r.rows[0]!.wait_ms);
}

/** A 429 seen by one instance: no instance starts a call for `ms` (a later pause wins). */
export async function pauseSends(db: Db, teamId: string, ms: number): Promise<void> {
  const until = sql`statement_timestamp() + (${ms}::float8 * interval '1 millisecond')`;
  await sql`
    insert into send_pace as p (team_id, next_at, paused_until)
    values (${teamId}, statement_timestamp(), ${until})
    on conflict (team_id) do update set paused_until = greatest(p.paused_until, excluded.paused_until)`.execute(db);
}
