// Replies that grow with data stay within Slack's limits: a list too long for one reply shows
// what fits, says how many more, and sends the whole list as a file by DM.
import { describe, expect, it } from 'vitest';
import { addScheduleFeed } from '../../src/db/oncall-feeds.ts';
import { REPLY_MAX_CHARS } from '../../src/outbound/views/long-list.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';
import { slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0LADMIN' });

const say = async (user: string, text: string) => {
  const r = await h.send(slashCommand({ command: '/growth', text, user_id: user, team_id: TEAM }));
  expect(r.status).toBe(200);
  return String((r.json as { text: string }).text);
};

describe('replies that grow with data', () => {
  it('/growth mentees for 2,000 mentees: what fits, how many more, and the whole list as a file', async () => {
    const at = new Date('2026-11-01T00:00:00Z');
    const [mentor] = await seedMembers(h.deps.db, 1, { prefix: 'MENTOR' });
    const mentees = await seedMembers(h.deps.db, 2000, { prefix: 'L' });
    await h.deps.db
      .insertInto('mentorships')
      .values(mentees.map((id) => ({ team_id: TEAM, mentee_id: id, mentor_id: mentor!, started_at: at })))
      .execute();
    h.fake.addUser({ id: mentor!, tz: 'Europe/Berlin' });
    const reply = await say(mentor!, 'mentees');
    expect(reply).toContain('*Your mentees* (2000)');
    expect(reply.length).toBeLessThanOrEqual(REPLY_MAX_CHARS);
    const shown = mentees.filter((id) => reply.includes(`<@${id}>`)).length;
    expect(shown).toBeGreaterThan(5);
    expect(reply).toContain(`…and ${2000 - shown} more: the whole list is on its way as a file in our DM.`);
    await h.fake.waitFor('files.completeUploadExternal', 1, 10_000);
    const file = h.fake.uploads.at(-1)!.content.toString('utf8');
    for (const id of mentees) expect(file).toContain(`<@${id}>`);
  }, 60_000);

  it('/growth admin oncall-feed list for 300 schedule feeds stays within the limit, with the rest as a file', async () => {
    const at = new Date('2026-11-01T00:00:00Z');
    for (let i = 0; i < 300; i++) {
      const url = `https://calendar.example/team-${i}/feed-${String(i).padStart(4, '0')}.ics`;
      await addScheduleFeed(
        h.deps.db,
        {
          teamId: TEAM,
          url,
          urlMasked: `https://calendar.example/…${String(i).padStart(4, '0')}`,
          createdBy: 'U0LADMIN',
        },
        at,
      );
    }
    const reply = await say('U0LADMIN', 'admin oncall-feed list');
    expect(reply).toContain('On-call schedule feeds');
    expect(reply.length).toBeLessThanOrEqual(REPLY_MAX_CHARS);
    expect(reply).toMatch(/…and \d+ more: the whole list is on its way as a file in our DM\./);
    await h.fake.waitFor('files.completeUploadExternal', 1, 10_000);
    const file = h.fake.uploads.at(-1)!.content.toString('utf8');
    expect(file.split('\n').filter((l) => l.startsWith('• #'))).toHaveLength(300);
  }, 60_000);
});
