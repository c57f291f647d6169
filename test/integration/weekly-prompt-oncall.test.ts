// jobs/weekly-prompts.ts in an on-call week, without the end-to-end on-call tests: the on-call
// prompt comes at the very instant the shift starts, and is not the one asked last time.
import { describe, expect, it } from 'vitest';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { oncallPrompts } from '../../src/rubrics/extras.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';
import { addShift } from '../support/oncall-shifts.ts';

let h: Harness;
useHarness((x) => (h = x));

const MONDAY_0905 = new Date('2026-12-07T09:05:00Z'); // 10:05 in Berlin, week 2026-W50
const TUESDAY_0800 = new Date('2026-12-08T08:00:00Z'); // the shift's start

describe('an on-call week', () => {
  it('asks the on-call prompt at the instant the shift starts, one not asked last time', async () => {
    const [ana, ben] = await seedMembers(h.deps.db, 2);
    const db = h.deps.db;
    const [used, next] = oncallPrompts(h.deps.rubrics, 'junior');
    expect(next).toBeDefined();
    // Ana answered the first on-call prompt last week.
    await db
      .insertInto('nudges')
      .values({
        team_id: TEAM,
        user_id: ana!,
        week: '2026-W49',
        level: 'junior',
        competency_id: used!.competency.id,
        prompt_id: used!.id,
        prompt_text: used!.text,
        outcome: 'answered',
        created_at: new Date('2026-12-01T09:05:00Z'),
        updated_at: new Date('2026-12-01T09:05:00Z'),
      })
      .execute();
    await addShift(db, ana!, { uid: 'tuesday', startsAt: TUESDAY_0800, endsAt: new Date('2026-12-09T08:00:00Z') });
    const prompted = async () =>
      (await db.selectFrom('nudges').select(['user_id', 'prompt_id']).where('week', '=', '2026-W50').execute()).map(
        (n) => n.user_id,
      );
    // Monday at the slot: Ben gets his prompt; Ana's waits for her shift.
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(await prompted()).toEqual([ben]);
    await runWeeklyPrompts(h.deps, new Date(TUESDAY_0800.getTime() - 1));
    expect(await prompted()).toEqual([ben]);
    await runWeeklyPrompts(h.deps, TUESDAY_0800);
    const anas = await db
      .selectFrom('nudges')
      .select('prompt_id')
      .where('user_id', '=', ana!)
      .where('week', '=', '2026-W50')
      .executeTakeFirstOrThrow();
    expect(anas.prompt_id).toBe(next!.id);
  });
});
