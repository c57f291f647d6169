import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// Focus areas: up to three competencies a member chooses for a quarter of their own calendar
// ('2026-Q4'), one row per member and quarter. Their mentor may agree or suggest others; the
// member accepts the suggestion or keeps theirs. Goes with the member (forget-me); a mentor who
// is forgotten leaves only the mentee's row, without their name. A quarter review is a delivery
// of its own kind, claimed once per person, quarter and pair.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('focus_areas')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('quarter', 'text', (c) => c.notNull().check(sql`quarter ~ '^[0-9]{4}-Q[1-4]$'`))
    .addColumn('competency_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('chosen').check(sql`status in ('chosen', 'agreed', 'suggested', 'kept')`),
    )
    .addColumn('suggested_ids', 'jsonb')
    .addColumn('mentor_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('focus_areas_once', ['team_id', 'user_id', 'quarter'])
    .addForeignKeyConstraint('focus_areas_member_fk', ['team_id', 'user_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check
    check (kind in ('prompt', 'reminder', 'digest', 'reflection', 'follow_up', 'retro', 'mentor_left', 'focus_review'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from deliveries where kind = 'focus_review'`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check
    check (kind in ('prompt', 'reminder', 'digest', 'reflection', 'follow_up', 'retro', 'mentor_left'))`.execute(db);
  await db.schema.dropTable('focus_areas').ifExists().execute();
}
