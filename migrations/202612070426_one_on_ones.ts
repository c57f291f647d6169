import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// A mentor and mentee's 1:1: a weekly slot in the mentor's zone, weekly or every other week
// (from the week it was set in), one per mentee; and the items either of them added to its
// agenda (typed text, or a shared check-in of the mentee's, read when the agenda is sent so a
// check-in made private later never shows). Both go with either person (forget-me). The agenda
// DM and the takeaway question are deliveries of their own kinds.

const KINDS = `'prompt', 'reminder', 'digest', 'reflection', 'follow_up', 'retro', 'mentor_left', 'focus_review'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('one_on_ones')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('mentor_id', 'text', (c) => c.notNull())
    .addColumn('mentee_id', 'text', (c) => c.notNull())
    .addColumn('weekday', 'smallint', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('minute', 'smallint', (c) => c.notNull().check(sql`minute between 0 and 1439`))
    .addColumn('every_weeks', 'smallint', (c) => c.notNull().check(sql`every_weeks in (1, 2)`))
    .addColumn('anchor_week', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('one_on_ones_one_per_mentee', ['team_id', 'mentee_id'])
    .addForeignKeyConstraint(
      'one_on_ones_mentee_fk',
      ['team_id', 'mentee_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'one_on_ones_mentor_fk',
      ['team_id', 'mentor_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createTable('agenda_items')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('one_on_one_id', 'bigint', (c) => c.notNull().references('one_on_ones.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.check(sql`length(text) between 1 and 500`))
    .addColumn('checkin_id', 'bigint', (c) => c.references('checkins.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('agenda_items_text_or_checkin', sql`(text is null) <> (checkin_id is null)`)
    .addUniqueConstraint('agenda_items_checkin_once', ['one_on_one_id', 'checkin_id'])
    .addForeignKeyConstraint('agenda_items_author_fk', ['team_id', 'user_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await sql`create index agenda_items_by_one_on_one on agenda_items (one_on_one_id, created_at)`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check
    check (kind in (${sql.raw(KINDS)}, 'agenda', 'takeaway'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from deliveries where kind in ('agenda', 'takeaway')`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check check (kind in (${sql.raw(KINDS)}))`.execute(
    db,
  );
  await db.schema.dropTable('agenda_items').ifExists().execute();
  await db.schema.dropTable('one_on_ones').ifExists().execute();
}
