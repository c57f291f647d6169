// Which prompt jobs/weekly-prompts.ts asks, from what it reads for each member: their focus this
// quarter, their recent check-ins, whether they mentor (senior and staff), and their answers
// (three answered weeks pause nothing); and a pause notice Slack refuses.
import { describe, expect, it } from 'vitest';
import { previousWeek } from '../../src/growth/schedule.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));

// Monday 7 December 2026, 10:05 in Berlin (UTC+1): ISO week 2026-W50, quarter 2026-Q4.
const MONDAY_0905 = new Date('2026-12-07T09:05:00Z');
const dms = (user: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
const headerOf = (user: string) =>
  (dms(user).at(-1)!.args.blocks as { type: string; text?: { text: string } }[]).find((b) => b.type === 'header')!.text!
    .text;
const nudgeOf = (user: string) =>
  h.deps.db
    .selectFrom('nudges')
    .selectAll()
    .where('user_id', '=', user)
    .orderBy('week', 'desc')
    .executeTakeFirstOrThrow();

describe('the competency asked about', () => {
  it('is one of the member’s focus this quarter, shown with their level', async () => {
    const [ana, ben] = await seedMembers(h.deps.db, 2);
    const junior = h.deps.rubrics.levels.junior.competencies;
    const focus = junior[2]!;
    await h.deps.db
      .insertInto('focus_areas')
      .values({ team_id: TEAM, user_id: ana!, quarter: '2026-Q4', competency_ids: JSON.stringify([focus.id]) })
      .execute();
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    // Ben, with no focus, gets another competency: the focus is what made the difference.
    expect((await nudgeOf(ben!)).competency_id).not.toBe(focus.id);
    expect((await nudgeOf(ana!)).competency_id).toBe(focus.id);
    expect(headerOf(ana!)).toBe(`${focus.name} · junior`);
  });

  it('steers away from one the member checked in on last week', async () => {
    const [ana, ben] = await seedMembers(h.deps.db, 2);
    const first = h.deps.rubrics.levels.junior.competencies[0]!.id;
    const thursday = new Date('2026-12-03T10:00:00Z'); // week 2026-W49
    await h.deps.db
      .insertInto('checkins')
      .values({
        team_id: TEAM,
        user_id: ana!,
        competency_id: first,
        text: 'Wrote the runbook for the flaky deploy',
        rating: 2,
        source: 'command',
        idempotency_key: 'last-week',
        created_at: thursday,
        updated_at: thursday,
      })
      .execute();
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    // Ben, who has not checked in, gets that competency: the check-in is what made the difference.
    expect((await nudgeOf(ben!)).competency_id).toBe(first);
    expect((await nudgeOf(ana!)).competency_id).not.toBe(first);
  });
});

describe('a mentor’s prompts', () => {
  /** Seven answered regular prompts before this week: the eighth week is due an extra one. */
  async function sevenWeeksBehind(users: readonly string[]) {
    await h.deps.db
      .insertInto('nudges')
      .values(
        users.flatMap((user_id) =>
          [1, 2, 3, 4, 5, 6, 7].map((k) => ({
            team_id: TEAM,
            user_id,
            week: previousWeek('2026-W50', k),
            level: 'senior' as const,
            competency_id: 'old',
            prompt_id: `old-${k}`,
            prompt_text: 'An old prompt',
            outcome: 'answered' as const,
            created_at: MONDAY_0905,
            updated_at: MONDAY_0905,
          })),
        ),
      )
      .execute();
  }

  it('a senior or staff member who mentors gets one about their mentoring when it is due; one who does not, the trap', async () => {
    const [senior, loner] = await seedMembers(h.deps.db, 2, { prefix: 'S', level: 'senior' });
    const [staff] = await seedMembers(h.deps.db, 1, { prefix: 'T', level: 'staff' });
    const mentees = await seedMembers(h.deps.db, 2, { prefix: 'J' });
    await h.deps.db
      .insertInto('mentorships')
      .values([
        { team_id: TEAM, mentor_id: senior!, mentee_id: mentees[0]!, started_at: new Date('2026-09-01T00:00:00Z') },
        { team_id: TEAM, mentor_id: staff!, mentee_id: mentees[1]!, started_at: new Date('2026-09-01T00:00:00Z') },
      ])
      .execute();
    await sevenWeeksBehind([senior!, loner!, staff!]);
    // Stretch prompts off, so the mentoring and trap prompts are what is due.
    await runWeeklyPrompts({ ...h.deps, config: { ...h.deps.config, stretchEvery: 0 } }, MONDAY_0905);
    expect(headerOf(senior!)).toMatch(/ · Your mentoring$/);
    expect(headerOf(staff!)).toMatch(/ · Your mentoring$/);
    expect(headerOf(loner!)).toMatch(/ · Watch for the trap$/);
    expect(headerOf(mentees[0]!)).not.toMatch(/Your mentoring/);
  });
});

describe('answers', () => {
  it('three answered weeks in a row pause nothing: the fourth prompt comes', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    for (const day of ['2026-12-07', '2026-12-14', '2026-12-21']) {
      await runWeeklyPrompts(h.deps, new Date(`${day}T09:05:00Z`));
      await h.deps.db.updateTable('nudges').set({ outcome: 'answered' }).execute();
    }
    expect(await runWeeklyPrompts(h.deps, new Date('2026-12-28T09:05:00Z'))).toMatchObject({ autoPaused: 0, sent: 1 });
    expect(dms(ana!)).toHaveLength(4);
  });
});

describe('a pause notice Slack refuses', () => {
  it('still pauses, and the refusal is counted under chat.postMessage', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    for (const day of ['2026-12-07', '2026-12-14', '2026-12-21'])
      await runWeeklyPrompts(h.deps, new Date(`${day}T09:05:00Z`));
    const refused = async () =>
      (await h.deps.metrics.slackErrors.get()).values.find(
        (v) => v.labels.method === 'chat.postMessage' && v.labels.code === 'account_inactive',
      )?.value ?? 0;
    const before = await refused();
    h.fake.failNext('chat.postMessage', { error: 'account_inactive' });
    expect(await runWeeklyPrompts(h.deps, new Date('2026-12-28T09:05:00Z'))).toMatchObject({ autoPaused: 1 });
    expect((await refused()) - before).toBe(1);
    expect(await h.deps.db.selectFrom('members').select('status').where('user_id', '=', ana!).execute()).toEqual([
      { status: 'paused' },
    ]);
  });
});
