// An on-call shift straight in the database: the member's own feed (a pager URL no test fetches)
// and one shift read from it, as the feed fetch would have stored them.
import type { Db } from '../../src/db/create-db.ts';
import { TEAM } from './members.ts';

export async function addShift(db: Db, userId: string, shift: { uid: string; startsAt: Date; endsAt: Date }) {
  const feed = await db
    .insertInto('oncall_feeds')
    .values({
      team_id: TEAM,
      kind: 'member',
      owner_id: userId,
      url: 'https://pager.example.com/feed.ics',
      url_masked: 'https://pager.example.com/…',
      created_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('oncall_shifts')
    .values({
      team_id: TEAM,
      user_id: userId,
      feed_id: feed.id,
      uid: shift.uid,
      starts_at: shift.startsAt,
      ends_at: shift.endsAt,
    })
    .execute();
}
