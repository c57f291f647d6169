import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.
//
// One send pace for a workspace, shared by every instance: the start of the next free send slot
// and until when a 429 paused sends. Slack's limits are per app and workspace, not per process.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('send_pace')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('next_at', 'timestamptz', (c) => c.notNull())
    .addColumn('paused_until', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('send_pace').ifExists().execute();
}
