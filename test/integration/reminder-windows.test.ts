import { describe, expect, it } from 'vitest';
import { setPaused } from '../../src/db/members.ts';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';
import { addShift } from '../support/oncall-shifts.ts';

let h: Harness;
useHarness((x) => (h = x));

// Monday 7 December 2026, 10:05 in Berlin (UTC+1); Thursday's reminders go from 10:00 Berlin.
const MONDAY_0905 = new Date('2026-12-07T09:05:00Z');
const THURSDAY_0905 = new Date('2026-12-10T09:05:00Z');
const THURSDAY_1305 = new Date('2026-12-10T13:05:00Z');
const nudgesTo = (user: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).startsWith('A gentle nudge'));

describe('a reminder and the hours around it', () => {
  it('a pause that ends on Thursday keeps that week’s reminder for the afternoon', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    // Tuesday: paused until Thursday noon (UTC).
    await setPaused(h.deps.db, TEAM, ana!, new Date('2026-12-10T12:00:00Z'), new Date('2026-12-08T09:00:00Z'));
    h.fake.reset();
    await runReminders(h.deps, THURSDAY_0905);
    expect(nudgesTo(ana!)).toHaveLength(0);
    await runReminders(h.deps, THURSDAY_1305);
    expect(nudgesTo(ana!)).toHaveLength(1);
  });

  it('a shift that ends on Thursday morning still spares that week’s reminder in the afternoon', async () => {
    const [ana, ben] = await seedMembers(h.deps.db, 2);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    const db = h.deps.db;
    await addShift(db, ana!, {
      uid: 'thursday-morning',
      startsAt: new Date('2026-12-10T06:00:00Z'),
      endsAt: new Date('2026-12-10T11:00:00Z'),
    });
    h.fake.reset();
    await runReminders(h.deps, THURSDAY_0905);
    await runReminders(h.deps, THURSDAY_1305);
    // Ben, not on call, is reminded: the runs did send reminders.
    expect(nudgesTo(ben!)).toHaveLength(1);
    expect(nudgesTo(ana!)).toHaveLength(0);
  });

  it('a reminder window that passed while the bot was down is left alone: the Saturday run claims and counts nothing', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    h.fake.reset();
    // No run on Thursday or Friday; Saturday 10:05 in Berlin, after the reminder's cut-off.
    expect(await runReminders(h.deps, new Date('2026-12-12T09:05:00Z'))).toMatchObject({
      claimed: 0,
      sent: 0,
      missed: 0,
    });
    expect(nudgesTo(ana!)).toHaveLength(0);
    expect(await h.deps.db.selectFrom('deliveries').select('kind').where('kind', '=', 'reminder').execute()).toEqual(
      [],
    );
  });
});
