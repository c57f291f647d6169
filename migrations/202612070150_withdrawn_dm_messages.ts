import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.
//
// A DM message its author said is "Not a check-in": remembered, so that a later edit of the
// message (or Slack delivering the same edit again) never brings the check-in back. Goes with
// the member (forget-me).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('withdrawn_dm_messages')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('withdrawn_dm_messages_pk', ['team_id', 'channel', 'ts'])
    .addForeignKeyConstraint(
      'withdrawn_dm_messages_member_fk',
      ['team_id', 'user_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('withdrawn_dm_messages').ifExists().execute();
}
