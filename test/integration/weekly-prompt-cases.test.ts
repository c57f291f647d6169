// jobs/weekly-prompts.ts: cases weekly-prompts.test.ts does not reach on its own (the end-to-end
// tests do, slowly): a prompt answered before it went out, a prompt settled between its claim
// and its send, a paused member's week before and after their slot, and resuming in the week
// prompts were paused.
import { describe, expect, it } from 'vitest';
import { claimPrompts } from '../../src/db/deliveries.ts';
import { setPaused } from '../../src/db/members.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));

// Monday 7 December 2026, 10:05 in Berlin (UTC+1): ISO week 2026-W50.
const MONDAY_0905 = new Date('2026-12-07T09:05:00Z');
const dms = (user: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
const deliveries = () =>
  h.deps.db.selectFrom('deliveries').select(['user_id', 'week', 'status']).orderBy('id').execute();

describe('what the prompt DM says', () => {
  it('after a check-in typed earlier that week: "Already answered", and no buttons to answer again', async () => {
    const [ana, ben] = await seedMembers(h.deps.db, 2);
    const before = new Date('2026-12-07T07:00:00Z'); // Monday 08:00 in Berlin
    await h.deps.db
      .insertInto('checkins')
      .values({
        team_id: TEAM,
        user_id: ana!,
        text: 'Paired on the flaky deploy pipeline',
        source: 'command',
        idempotency_key: 'early',
        created_at: before,
        updated_at: before,
      })
      .execute();
    expect(await runWeeklyPrompts(h.deps, MONDAY_0905)).toMatchObject({ claimed: 2, sent: 2 });
    const [settled] = dms(ana!);
    expect(settled!.args.text).toMatch(/^Answered: /);
    expect(JSON.stringify(settled!.args.blocks)).toContain('Already answered');
    expect(JSON.stringify(settled!.args.blocks)).not.toContain(IDS.nudge.answer);
    // Ben's, for comparison, is open: the Answer button is there.
    const [open] = dms(ben!);
    expect(JSON.stringify(open!.args.blocks)).toContain(IDS.nudge.answer);
    expect(open!.args.text).not.toMatch(/^Answered/);
  });

  it('a prompt skipped or missed between its claim and its send is not sent: its delivery is skipped', async () => {
    const users = await seedMembers(h.deps.db, 3);
    await claimPrompts(
      h.deps.db,
      users.map((userId) => ({
        teamId: TEAM,
        userId,
        week: '2026-W50',
        level: 'junior' as const,
        competencyId: 'observability',
        promptId: 'x',
        promptText: 'Trace one request end to end.',
      })),
      MONDAY_0905,
    );
    await h.deps.db.updateTable('nudges').set({ outcome: 'skipped' }).where('user_id', '=', users[0]!).execute();
    await h.deps.db.updateTable('nudges').set({ outcome: 'missed' }).where('user_id', '=', users[1]!).execute();
    expect(await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + 60_000))).toMatchObject({
      sent: 1,
      skipped: 2,
    });
    expect(dms(users[0]!)).toEqual([]);
    expect(dms(users[1]!)).toEqual([]);
    expect(dms(users[2]!)).toHaveLength(1);
    expect((await deliveries()).map((d) => d.status)).toEqual(['skipped', 'skipped', 'sent']);
  });
});

describe('a paused member’s week', () => {
  it('is recorded as skipped once their slot has passed, not before', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    await setPaused(h.deps.db, TEAM, ana!, new Date('2026-12-31T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T08:59:00Z')); // 09:59 in Berlin
    expect(await deliveries()).toEqual([]);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(await deliveries()).toEqual([{ user_id: ana, week: '2026-W50', status: 'skipped' }]);
    expect(dms(ana!)).toEqual([]);
  });
});

describe('resuming in the week prompts were paused', () => {
  it('does not pause again at once: no second notice, and no prompt until next week', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    for (const day of ['2026-12-07', '2026-12-14', '2026-12-21'])
      await runWeeklyPrompts(h.deps, new Date(`${day}T09:05:00Z`));
    expect(await runWeeklyPrompts(h.deps, new Date('2026-12-28T09:05:00Z'))).toMatchObject({ autoPaused: 1 });
    const notices = () => dms(ana!).filter((c) => String(c.args.text).includes('/growth resume'));
    expect(notices()).toHaveLength(1);
    await setPaused(h.deps.db, TEAM, ana!, 'resume', new Date('2026-12-28T12:00:00Z'));
    expect(await runWeeklyPrompts(h.deps, new Date('2026-12-28T13:05:00Z'))).toMatchObject({
      autoPaused: 0,
      claimed: 0,
      sent: 0,
    });
    expect(notices()).toHaveLength(1);
    expect(await h.deps.db.selectFrom('members').select('status').executeTakeFirstOrThrow()).toEqual({
      status: 'active',
    });
  });
});
