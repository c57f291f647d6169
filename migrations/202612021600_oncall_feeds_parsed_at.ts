import type { Kysely } from 'kysely';

// Frozen in time: never import from src/.
//
// When a feed's content was last read into shifts. An unchanged feed (304) is not parsed again,
// but the shifts window moves on: once a day the feed is fetched without If-None-Match and
// read again, so a recurring event keeps yielding shifts two months ahead.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oncall_feeds').addColumn('parsed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oncall_feeds').dropColumn('parsed_at').execute();
}
