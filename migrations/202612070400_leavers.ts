import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// Leavers: when someone left (so admins see since when, and RETENTION_DAYS can count from it),
// and a delivery kind for telling each of a leaver's mentees, once, that their mentor left
// (claimed per mentorship: `ref` = `mentorship:<id>`).

const KINDS = "'prompt', 'reminder', 'digest', 'reflection', 'follow_up', 'retro'";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('members').addColumn('left_at', 'timestamptz').execute();
  await sql`update members set left_at = updated_at where status = 'left'`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check
    check (kind in (${sql.raw(KINDS)}, 'mentor_left'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from deliveries where kind = 'mentor_left'`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_kind_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_kind_check check (kind in (${sql.raw(KINDS)}))`.execute(
    db,
  );
  await db.schema.alterTable('members').dropColumn('left_at').execute();
}
