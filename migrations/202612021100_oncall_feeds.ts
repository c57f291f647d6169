import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// On-call shifts read from iCalendar feeds. A feed is either a member's own ('member', owner_id
// set) or a schedule's added by an admin ('schedule', owner_id null) whose events name people.
// The URL carries the provider's secret token: it is selected only by the fetch job, and
// everything shown to people reads url_masked instead.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oncall_feeds')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('member', 'schedule')`))
    .addColumn('owner_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('url_masked', 'text', (c) => c.notNull())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    // Set when a fetch is claimed (so two instances never fetch one feed at once), then kept.
    .addColumn('last_fetched_at', 'timestamptz')
    .addColumn('last_ok_at', 'timestamptz')
    // A short description of what is wrong, never containing the URL; null when the feed works.
    .addColumn('last_error', 'text')
    // When the owner was told of the current breakage; cleared when the feed works again.
    .addColumn('error_notified_at', 'timestamptz')
    // Schedule feeds: names in the feed that matched no member, shown to admins.
    .addColumn('unmatched', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('oncall_feeds_owner', sql`(kind = 'member') = (owner_id is not null)`)
    .addForeignKeyConstraint('oncall_feeds_owner_fk', ['team_id', 'owner_id'], 'members', ['team_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  // One own feed per member; a new one replaces it.
  await sql`create unique index oncall_feeds_one_per_member on oncall_feeds (team_id, owner_id) where kind = 'member'`.execute(
    db,
  );
  await sql`create index oncall_feeds_due on oncall_feeds (last_fetched_at nulls first)`.execute(db);

  await db.schema
    .createTable('oncall_shifts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('feed_id', 'bigint', (c) => c.notNull().references('oncall_feeds.id').onDelete('cascade'))
    // The event's UID; with starts_at it names one occurrence of a recurring event.
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('all_day', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('oncall_shifts_positive', sql`ends_at > starts_at`)
    .addForeignKeyConstraint(
      'oncall_shifts_member_fk',
      ['team_id', 'user_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('oncall_shifts_once', ['feed_id', 'uid', 'starts_at', 'user_id'])
    .execute();
  await sql`create index oncall_shifts_by_member on oncall_shifts (team_id, user_id, ends_at)`.execute(db);
  await sql`create index oncall_shifts_by_start on oncall_shifts (starts_at)`.execute(db);
  await sql`create index oncall_shifts_by_end on oncall_shifts (ends_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oncall_shifts').ifExists().execute();
  await db.schema.dropTable('oncall_feeds').ifExists().execute();
}
