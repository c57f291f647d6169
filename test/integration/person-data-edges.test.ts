// Export and forget-me at their edges: an admin who never joined but added a schedule feed (no
// member row), and a feed whose list of unmatched names holds something that is not a name
// (the column is JSON: written by an older version, or by hand). Neither may break either.
import { describe, expect, it } from 'vitest';
import { forgetPerson, personData } from '../../src/db/person-data.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');

describe('person data at the edges', () => {
  const d = useTestDatabase();
  const scheduleFeed = async (createdBy: string, unmatched: string) =>
    (
      await d.db
        .insertInto('oncall_feeds')
        .values({
          team_id: TEAM,
          kind: 'schedule',
          owner_id: null,
          url: `https://calendar.example/secret-${createdBy}.ics`,
          url_masked: 'https://calendar.example/…',
          unmatched,
          created_by: createdBy,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const feeds = () => d.db.selectFrom('oncall_feeds').select(['id', 'created_by', 'unmatched']).orderBy('id').execute();

  it('an admin who never joined: the export shows the feed they added, and forget-me removes it', async () => {
    const id = await scheduleFeed('UADMIN', '["Ada"]');
    expect(await d.db.selectFrom('members').selectAll().where('user_id', '=', 'UADMIN').execute()).toEqual([]);
    const x = await personData(d.db, TEAM, 'UADMIN', ['admin@example.com']);
    expect(x.member).toBeNull();
    expect(x.schedule_feeds_added.map((f) => f.id)).toEqual([id]);
    expect(await forgetPerson(d.db, TEAM, 'UADMIN', { now, names: ['admin@example.com'] })).toMatchObject({
      oncall_feeds: 1,
      members: 0,
      unmatched_names: 0,
    });
    expect(await feeds()).toEqual([]);
  });

  it('a list of unmatched names holding something that is not a name: their names are still found and removed', async () => {
    await join(d.db, 'UANA', 'junior', 'UTC');
    await d.db.updateTable('members').set({ display_name: 'Ana Lopez' }).where('user_id', '=', 'UANA').execute();
    const id = await scheduleFeed('UBEN', '[42, null, "Ana Lopez", {"name": "Ana Lopez"}, "Someone Else"]');
    const x = await personData(d.db, TEAM, 'UANA');
    expect(x.unmatched_names).toEqual([{ feed_id: id, names: ['Ana Lopez'] }]);
    expect(await forgetPerson(d.db, TEAM, 'UANA', { now })).toMatchObject({ unmatched_names: 1, members: 1 });
    const [feed] = await feeds();
    expect(feed!.unmatched).not.toContain('Ana Lopez');
    expect(feed!.unmatched).toContain('Someone Else');
  });
});
