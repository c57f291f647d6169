// A member Slack reports deactivated gets nothing more: the user_change event, signed as Slack
// signs it, marks them left and ends their mentorships; the next Monday sends them no prompt.
import { describe, expect, it } from 'vitest';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { eventCallback, slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));

const growth = (user: string, text: string) => h.send(slashCommand({ command: '/growth', text, user_id: user }));
const userChange = (id: string, deleted: boolean) =>
  eventCallback({ type: 'user_change', user: { id, team_id: 'T0TEST', deleted, real_name: id }, event_ts: '1.1' });
const member = (id: string) =>
  h.deps.db.selectFrom('members').select('status').where('user_id', '=', id).executeTakeFirstOrThrow();
const openMentorships = () =>
  h.deps.db.selectFrom('mentorships').select('mentee_id').where('ended_at', 'is', null).execute();
// Monday 7 December 2026, 10:05 in Berlin.
const MONDAY = new Date('2026-12-07T09:05:00Z');
const promptsTo = (id: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === id && c.args.metadata !== undefined);

async function twoMembers(): Promise<void> {
  for (const id of ['U0ANA', 'U0BEN']) {
    h.fake.addUser({ id, tz: 'Europe/Berlin', real_name: id });
    await growth(id, 'join mid');
  }
  await growth('U0ANA', 'mentor <@U0BEN>');
  expect(await openMentorships()).toHaveLength(1);
}

describe('a member deactivated in Slack', () => {
  it('user_change with deleted: true: left, mentorships ended, and no prompt on Monday', async () => {
    await twoMembers();
    expect((await h.send(userChange('U0BEN', true))).status).toBe(200);
    await expect.poll(async () => (await member('U0BEN')).status, { timeout: 5_000 }).toBe('left');
    expect(await openMentorships()).toHaveLength(0);
    expect((await member('U0ANA')).status).toBe('active');

    await runWeeklyPrompts(h.deps, MONDAY);
    expect(promptsTo('U0ANA')).toHaveLength(1);
    expect(promptsTo('U0BEN')).toHaveLength(0);
  });

  it('user_change without deleted (a profile edit) changes nothing', async () => {
    await twoMembers();
    expect((await h.send(userChange('U0BEN', false))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await member('U0BEN')).status).toBe('active');
    expect(await openMentorships()).toHaveLength(1);
  });
});
