import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.
//
// The mentor answers back (issue 20): replies between a mentee and their mentor, kudos on a
// shared check-in (one per check-in), and what became of a help request. A help request is a
// shared check-in with "I'd like help"; its row here holds who offered help, who resolved it,
// and whether it helped. Each goes with the mentee (forget-me, and their check-in's deletion).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('replies')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull()) // the mentee
    .addColumn('mentor_id', 'text', (c) => c.notNull())
    .addColumn('from_mentor', 'boolean', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'bigint')
    .addColumn('channel', 'text')
    .addColumn('ts', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint('replies_member_fk', ['team_id', 'user_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('replies_by_mentee')
    .on('replies')
    .columns(['team_id', 'user_id', 'created_at'])
    .execute();
  await db.schema.createIndex('replies_by_mentor').on('replies').columns(['team_id', 'mentor_id']).execute();

  await db.schema
    .createTable('kudos')
    .addColumn('checkin_id', 'bigint', (c) => c.primaryKey().references('checkins.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull()) // the mentee, author of the check-in
    .addColumn('mentor_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kudos_by_mentee').on('kudos').columns(['team_id', 'user_id']).execute();

  await db.schema
    .createTable('help_requests')
    .addColumn('checkin_id', 'bigint', (c) => c.primaryKey().references('checkins.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull()) // the mentee who asked
    .addColumn('offered_by', 'text')
    .addColumn('offered_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('helped', 'boolean')
    .addColumn('helped_note', 'text')
    .addColumn('answered_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('help_requests_by_mentee').on('help_requests').columns(['team_id', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('help_requests').ifExists().execute();
  await db.schema.dropTable('kudos').ifExists().execute();
  await db.schema.dropTable('replies').ifExists().execute();
}
