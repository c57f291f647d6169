import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// The on-call retro after a shift: its numbers as numbers (so trends are arithmetic, not
// parsing), linked to the shift and to the check-in that holds the member's words.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oncall_retros')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // A feed may later drop the shift; the retro keeps when it was.
    .addColumn('shift_id', 'bigint', (c) => c.references('oncall_shifts.id').onDelete('set null'))
    .addColumn('shift_starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('shift_ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('checkin_id', 'bigint', (c) => c.notNull().references('checkins.id').onDelete('cascade'))
    .addColumn('pages', 'integer', (c) => c.notNull().check(sql`pages >= 0`))
    .addColumn('actionable', 'integer', (c) => c.notNull().check(sql`actionable >= 0`))
    .addColumn('toil_hours', 'integer', (c) => c.notNull().check(sql`toil_hours >= 0`))
    .addColumn('alert_to_fix', 'text', (c) => c.check(sql`length(alert_to_fix) <= 500`))
    .addColumn('handover', 'text', (c) => c.check(sql`length(handover) <= 500`))
    .addColumn('private', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('oncall_retros_actionable', sql`actionable <= pages`)
    .addForeignKeyConstraint(
      'oncall_retros_member_fk',
      ['team_id', 'user_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('oncall_retros_once', ['team_id', 'user_id', 'shift_starts_at', 'shift_ends_at'])
    .execute();
  await sql`create index oncall_retros_by_member on oncall_retros (team_id, user_id, shift_ends_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oncall_retros').ifExists().execute();
}
