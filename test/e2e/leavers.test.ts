// A member Slack reports deactivated gets nothing more: the user_change event, signed as Slack
// signs it, marks them left and ends their mentorships; the next Monday sends them no prompt.
// Their mentees are told once; admins see them in `/growth admin list` and can forget them.
import { describe, expect, it } from 'vitest';
import { runMentorLeft } from '../../src/jobs/mentor-left.ts';
import { runRefreshTimezones } from '../../src/jobs/refresh-timezones.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { blockAction, eventCallback, slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADMIN' });

const growth = (user: string, text: string) => h.send(slashCommand({ command: '/growth', text, user_id: user }));
const say = async (user: string, text: string) => ((await growth(user, text)).json as { text: string }).text;
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

/** The DMs telling someone their mentor left (not prompts: those carry metadata too, but say no such thing). */
const toldMentorLeft = (id: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === id && String(c.args.text).includes('has left growthbot'));

/** U0MO mentors U0ANA and U0BEN; all three joined. */
async function mentorOfTwo(): Promise<void> {
  for (const id of ['U0ANA', 'U0BEN', 'U0MO']) {
    h.fake.addUser({ id, tz: 'Europe/Berlin', real_name: id });
    await growth(id, 'join mid');
  }
  await growth('U0ANA', 'mentor <@U0MO>');
  await growth('U0BEN', 'mentor <@U0MO>');
  expect(await openMentorships()).toHaveLength(2);
}

describe('a mentor who leaves', () => {
  it('each mentee is told once, naming the mentor and how to name a new one, whatever runs again', async () => {
    await mentorOfTwo();
    await h.send(userChange('U0MO', true));
    await expect.poll(async () => (await member('U0MO')).status, { timeout: 5_000 }).toBe('left');
    // Slack sends the event again, and two instances run the job at once, then once more.
    await h.send(userChange('U0MO', true));
    await Promise.all([runMentorLeft(h.deps, MONDAY), runMentorLeft(h.deps, MONDAY)]);
    await runMentorLeft(h.deps, MONDAY);
    for (const id of ['U0ANA', 'U0BEN']) {
      const told = toldMentorLeft(id);
      expect(told).toHaveLength(1);
      expect(told[0]!.args.text).toContain('<@U0MO> has left growthbot');
      expect(told[0]!.args.text).toContain('`/growth mentor @someone`');
    }
    expect(toldMentorLeft('U0MO')).toHaveLength(0);
    // The command it names works: Ana names a new mentor.
    expect(await say('U0ANA', 'mentor <@U0BEN>')).toContain('<@U0BEN> is now your mentor');
  });

  it('the timezone refresh that finds the mentor deactivated tells the mentees too', async () => {
    await mentorOfTwo();
    h.fake.addUser({ id: 'U0MO', tz: 'Europe/Berlin', real_name: 'U0MO', deleted: true });
    await h.deps.db
      .updateTable('members')
      .set({ tz_checked_at: new Date('2026-11-01T00:00:00Z') })
      .execute();
    expect((await runRefreshTimezones(h.deps, MONDAY)).left).toBe(1);
    await runMentorLeft(h.deps, MONDAY);
    expect(toldMentorLeft('U0ANA')).toHaveLength(1);
    expect(toldMentorLeft('U0BEN')).toHaveLength(1);
  });

  it('a mentee who named a new mentor before the notice went out is not told; nor one who left or never joined', async () => {
    await mentorOfTwo();
    // An admin named Mo the mentor of someone who has not joined: they hear nothing from growthbot.
    h.fake.addUser({ id: 'U0NEW', tz: 'Europe/Berlin', real_name: 'U0NEW' });
    h.fake.addUser({ id: 'U0ADMIN', tz: 'Europe/Berlin', real_name: 'Admin' });
    expect(await say('U0ADMIN', 'admin assign <@U0NEW> <@U0MO>')).toContain('has not joined yet');
    await h.send(userChange('U0MO', true));
    await expect.poll(async () => (await member('U0MO')).status, { timeout: 5_000 }).toBe('left');
    h.fake.addUser({ id: 'U0CY', tz: 'Europe/Berlin', real_name: 'U0CY' });
    expect(await say('U0ANA', 'mentor <@U0CY>')).toContain('<@U0CY> is now your mentor');
    await h.send(userChange('U0BEN', true));
    await expect.poll(async () => (await member('U0BEN')).status, { timeout: 5_000 }).toBe('left');
    await runMentorLeft(h.deps, MONDAY);
    expect(toldMentorLeft('U0ANA')).toHaveLength(0);
    expect(toldMentorLeft('U0NEW')).toHaveLength(0);
    expect(toldMentorLeft('U0BEN')).toHaveLength(0);
  });

  it('a mentee is told only about the mentor they have, not one they moved on from', async () => {
    await mentorOfTwo();
    h.fake.addUser({ id: 'U0CY', tz: 'Europe/Berlin', real_name: 'U0CY' });
    await growth('U0CY', 'join mid');
    expect(await say('U0ANA', 'mentor <@U0CY>')).toContain('<@U0CY> is now your mentor');
    await h.send(userChange('U0CY', true));
    await expect.poll(async () => (await member('U0CY')).status, { timeout: 5_000 }).toBe('left');
    await runMentorLeft(h.deps, MONDAY);
    // Ana now has no mentor; Mo, her mentor before Cy, leaves too: only Ben is told about Mo.
    await h.send(userChange('U0MO', true));
    await expect.poll(async () => (await member('U0MO')).status, { timeout: 5_000 }).toBe('left');
    await runMentorLeft(h.deps, MONDAY);
    const told = toldMentorLeft('U0ANA');
    expect(told).toHaveLength(1);
    expect(told[0]!.args.text).toContain('<@U0CY> has left growthbot');
    expect(toldMentorLeft('U0BEN')).toHaveLength(1);
  });
});

describe('a mentor forgotten before the notice goes out', () => {
  /** Every delivery row left, as text: what the database still holds about the notices. */
  const deliveryRows = async () => JSON.stringify(await h.deps.db.selectFrom('deliveries').selectAll().execute());

  it('admin forget of a mentor who left: each mentee is still told, once, and nothing names the mentor', async () => {
    await mentorOfTwo();
    await h.send(userChange('U0MO', true));
    await expect.poll(async () => (await member('U0MO')).status, { timeout: 5_000 }).toBe('left');
    expect(await deliveryRows()).toContain('mentor_left');
    expect(await say('U0ADMIN', 'admin forget <@U0MO>')).toContain('is deleted');
    expect(await deliveryRows()).not.toContain('U0MO');

    await runMentorLeft(h.deps, MONDAY);
    await runMentorLeft(h.deps, MONDAY);
    for (const id of ['U0ANA', 'U0BEN']) {
      const told = toldMentorLeft(id);
      expect(told).toHaveLength(1);
      expect(told[0]!.args.text).toContain('Your mentor has left growthbot');
      expect(told[0]!.args.text).toContain('`/growth mentor @someone`');
      expect(told[0]!.args.text).not.toContain('U0MO');
    }
  });

  it('forget-me of a current mentor tells the mentees; one who named a new mentor first is not told', async () => {
    await mentorOfTwo();
    await h.send(blockAction({ user: 'U0MO', action_id: IDS.forgetMe.confirm, value: 'forget' }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => String(c.args.text).startsWith('Done: everything'));
    expect(await h.deps.db.selectFrom('members').select('user_id').where('user_id', '=', 'U0MO').execute()).toEqual([]);
    expect(await deliveryRows()).not.toContain('U0MO');
    h.fake.addUser({ id: 'U0CY', tz: 'Europe/Berlin', real_name: 'U0CY' });
    expect(await say('U0ANA', 'mentor <@U0CY>')).toContain('<@U0CY> is now your mentor');

    await runMentorLeft(h.deps, MONDAY);
    expect(toldMentorLeft('U0BEN')).toHaveLength(1);
    expect(toldMentorLeft('U0BEN')[0]!.args.text).toContain('Your mentor has left growthbot');
    expect(toldMentorLeft('U0ANA')).toHaveLength(0);
  });
});

describe('leavers for admins', () => {
  it('/growth admin list shows members with their mentors, and leavers apart with the day they left', async () => {
    await mentorOfTwo();
    h.fake.addUser({ id: 'U0ADMIN', tz: 'Europe/Berlin', real_name: 'Admin' });
    h.setNow(new Date('2026-12-03T12:00:00Z'));
    await h.send(userChange('U0MO', true));
    await expect.poll(async () => (await member('U0MO')).status, { timeout: 5_000 }).toBe('left');
    h.setNow(undefined);
    const text = await say('U0ADMIN', 'admin list');
    const [members, left] = text.split('*Left (1)*');
    expect(members).toContain('*Members (2)*');
    expect(members).toContain('• <@U0ANA> · mid · no mentor');
    expect(members).not.toContain('U0MO');
    expect(left).toContain('• <@U0MO> (U0MO) · left Thursday 3 December 2026');
    expect(left).toContain('`/growth admin forget @someone`');
    expect(await say('U0ANA', 'admin list')).toContain('Only growthbot admins');
  });

  it('/growth admin forget deletes a leaver Slack no longer knows at once, and refuses someone still here', async () => {
    await mentorOfTwo();
    await growth('U0MO', 'join mid');
    await h.send(slashCommand({ command: '/checkin', text: 'observability: traced a slow request', user_id: 'U0MO' }));
    const rowsOf = async (id: string) =>
      (await h.deps.db.selectFrom('checkins').select('id').where('user_id', '=', id).execute()).length +
      (await h.deps.db.selectFrom('members').select('user_id').where('user_id', '=', id).execute()).length;
    expect(await rowsOf('U0MO')).toBe(2);
    expect(await say('U0ADMIN', 'admin forget <@U0MO>')).toContain('has not left, so nothing was deleted');
    expect(await rowsOf('U0MO')).toBe(2);

    await h.send(userChange('U0MO', true));
    await expect.poll(async () => (await member('U0MO')).status, { timeout: 5_000 }).toBe('left');
    h.fake.reset(); // Slack no longer knows them: users.info answers user_not_found
    expect(await say('U0ADMIN', 'admin forget <@U0MO>')).toContain(
      'Everything growthbot stored about <@U0MO> is deleted',
    );
    expect(await rowsOf('U0MO')).toBe(0);
    expect(
      await h.deps.db.selectFrom('mentorships').select('id').where('mentor_id', '=', 'U0MO').execute(),
    ).toHaveLength(0);
    expect(await say('U0ADMIN', 'admin forget <@U0MO>')).toContain('stores nothing about <@U0MO>');
  });
});
