import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// One privacy fact per check-in: a retro is private when its check-in is. The retro's own copy
// of the flag was never updated when the check-in's privacy changed (Home's Edit), so a retro
// made "just for me" later still reached the mentor. The check-in holds the person's latest
// choice; the copy goes.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oncall_retros').dropColumn('private').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('oncall_retros')
    .addColumn('private', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update oncall_retros r set private = c.private from checkins c where c.id = r.checkin_id`.execute(db);
}
