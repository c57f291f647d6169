import { type Selectable, sql } from 'kysely';
import { camel, camelMaybe, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import type { OncallFeed, OncallFeedsTable } from './schema.ts';

/** A feed as shown to people and handled by the job: everything but the secret URL. */
export type FeedInfo = Omit<OncallFeed, 'url'>;

type FetchRow = Pick<
  Selectable<OncallFeedsTable>,
  'id' | 'team_id' | 'kind' | 'owner_id' | 'created_by' | 'url' | 'etag' | 'last_modified' | 'parsed_at'
>;

/** What the fetch job needs: the URL and the validators of the last good fetch. */
export type FeedToFetch = Pick<
  OncallFeed,
  'id' | 'teamId' | 'kind' | 'ownerId' | 'createdBy' | 'url' | 'etag' | 'lastModified' | 'parsedAt'
>;

const info = [
  'id',
  'team_id',
  'kind',
  'owner_id',
  'url_masked',
  'etag',
  'last_modified',
  'last_fetched_at',
  'last_ok_at',
  'parsed_at',
  'last_error',
  'error_notified_at',
  'unmatched',
  'created_by',
  'created_at',
  'updated_at',
] as const;

/**
 * Sets a member's own feed (one per member). A new URL starts afresh: validators and errors
 * cleared, and the shifts of the old URL that have not ended yet removed, in one transaction.
 */
export async function setMemberFeed(
  db: Db,
  f: { teamId: string; userId: string; url: string; urlMasked: string },
  now: Date,
): Promise<FeedInfo> {
  return db.transaction().execute(async (tx) => {
    const feed = await tx
      .insertInto('oncall_feeds')
      .values({
        team_id: f.teamId,
        kind: 'member',
        owner_id: f.userId,
        url: f.url,
        url_masked: f.urlMasked,
        created_by: f.userId,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'owner_id'])
          .where('kind', '=', 'member')
          .doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            url_masked: eb.ref('excluded.url_masked'),
            etag: null,
            last_modified: null,
            last_fetched_at: null,
            last_ok_at: null,
            parsed_at: null,
            last_error: null,
            error_notified_at: null,
            updated_at: eb.ref('excluded.updated_at'),
          })),
      )
      .returning(info)
      .executeTakeFirstOrThrow();
    await tx.deleteFrom('oncall_shifts').where('feed_id', '=', feed.id).where('ends_at', '>', now).execute();
    return camel(feed);
  });
}

export async function addScheduleFeed(
  db: Db,
  f: { teamId: string; url: string; urlMasked: string; createdBy: string },
  now: Date,
): Promise<FeedInfo> {
  const feed = await db
    .insertInto('oncall_feeds')
    .values({
      team_id: f.teamId,
      kind: 'schedule',
      owner_id: null,
      url: f.url,
      url_masked: f.urlMasked,
      created_by: f.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning(info)
    .executeTakeFirstOrThrow();
  return camel(feed);
}

/**
 * A feed moved to another address with the same calendar (the sandbox's own feed when it
 * listens on another port): its shifts are kept, the next fetch reads the new address.
 */
export async function setFeedUrl(db: Db, id: string, f: { url: string; urlMasked: string }, now: Date): Promise<void> {
  await db
    .updateTable('oncall_feeds')
    .set({
      url: f.url,
      url_masked: f.urlMasked,
      etag: null,
      last_modified: null,
      last_fetched_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Removes a member's own feed and its shifts; true when there was one. */
export async function removeMemberFeed(db: Db, teamId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('oncall_feeds')
    .where('team_id', '=', teamId)
    .where('kind', '=', 'member')
    .where('owner_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Removes a schedule feed of the team and its shifts; true when there was one. */
export async function removeScheduleFeed(db: Db, teamId: string, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const r = await db
    .deleteFrom('oncall_feeds')
    .where('team_id', '=', teamId)
    .where('kind', '=', 'schedule')
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function memberFeed(db: Db, teamId: string, userId: string): Promise<FeedInfo | undefined> {
  return camelMaybe(
    await db
      .selectFrom('oncall_feeds')
      .select(info)
      .where('team_id', '=', teamId)
      .where('kind', '=', 'member')
      .where('owner_id', '=', userId)
      .executeTakeFirst(),
  );
}

export async function scheduleFeeds(db: Db, teamId: string): Promise<FeedInfo[]> {
  return camelRows(
    await db
      .selectFrom('oncall_feeds')
      .select(info)
      .where('team_id', '=', teamId)
      .where('kind', '=', 'schedule')
      .orderBy('id')
      .execute(),
  );
}

export async function feedToFetch(db: Db, id: string): Promise<FeedToFetch | undefined> {
  return camelMaybe(
    await db
      .selectFrom('oncall_feeds')
      .select(['id', 'team_id', 'kind', 'owner_id', 'created_by', 'url', 'etag', 'last_modified', 'parsed_at'])
      .where('id', '=', id)
      .executeTakeFirst(),
  );
}

/**
 * Claims up to `limit` feeds not fetched since `staleBefore` by stamping last_fetched_at, so
 * another instance (or the next tick while this one runs) skips them.
 */
export async function claimDueFeeds(db: Db, staleBefore: Date, limit: number, now: Date): Promise<FeedToFetch[]> {
  const r = await sql<FetchRow>`
    update oncall_feeds f set last_fetched_at = ${now}
    where f.id in (
      select id from oncall_feeds
      where last_fetched_at is null or last_fetched_at <= ${staleBefore}
      order by last_fetched_at nulls first, id
      limit ${limit} for update skip locked)
    returning f.id, f.team_id, f.kind, f.owner_id, f.created_by, f.url, f.etag, f.last_modified, f.parsed_at`.execute(
    db,
  );
  return camelRows(r.rows);
}

/** A fetch that worked (with new content, or 304): validators kept, error cleared. */
export async function recordFeedOk(
  db: Db,
  id: string,
  r: { etag: string | null; lastModified: string | null; parsed: boolean; unmatched?: string[] },
  now: Date,
): Promise<void> {
  await db
    .updateTable('oncall_feeds')
    .set({
      etag: r.etag,
      last_modified: r.lastModified,
      last_fetched_at: now,
      last_ok_at: now,
      last_error: null,
      error_notified_at: null,
      ...(r.parsed ? { parsed_at: now } : {}),
      ...(r.unmatched ? { unmatched: JSON.stringify(r.unmatched) } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A fetch that failed: the error is recorded and the shifts are left as they were. Returns true
 * exactly once per breakage (the first failure since the feed last worked), for one instance,
 * so the owner is told once and not on every tick.
 */
export async function recordFeedError(db: Db, id: string, error: string, now: Date): Promise<{ notify: boolean }> {
  const r = await sql<{ notify: boolean }>`
    update oncall_feeds f set last_error = ${error}, last_fetched_at = ${now}, updated_at = ${now},
      error_notified_at = coalesce(f.error_notified_at, ${now})
    from (select id, error_notified_at is null as first from oncall_feeds where id = ${id} for update) old
    where f.id = old.id
    returning old.first as notify`.execute(db);
  return { notify: r.rows[0]?.notify ?? false };
}
