import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePerson, joinMember } from '../../src/db/members.ts';
import { setMentor } from '../../src/db/mentorships.ts';
import { setMemberFeed } from '../../src/db/oncall-feeds.ts';
import type { Deps } from '../../src/deps.ts';
import { dueByJob, nextDue } from '../../src/jobs/next-due.ts';
import { nextCronTick } from '../../src/jobs/scheduler.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// When the scheduler next has work, asked of real Postgres (the sandbox asks it of PGlite:
// test/e2e/sandbox-jumps.test.ts), so a jump of the clock can skip the ticks in between.
let database: TestDatabase;
let deps: Deps;
const T = 'T1';
const MONDAY = new Date('2026-12-07T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, config: { oncallFeeds: { intervalMinutes: 30 } } } as unknown as Deps;
});
afterAll(() => database?.close());
beforeEach(() => database.truncate());

describe('nextDue', () => {
  it('is the next prompt or reminder slot of someone on the schedule, in their own zone', async () => {
    expect(await nextDue(deps, MONDAY)).toBeNull();
    await joinMember(
      database.db,
      { teamId: T, userId: 'UBERLIN', displayName: 'B', tz: 'Europe/Berlin', level: 'junior' },
      MONDAY,
    );
    // Monday 10:00 in Berlin, then Thursday 10:00 (the reminder), then next Monday 10:00.
    expect(await nextDue(deps, MONDAY)).toEqual(new Date('2026-12-07T09:00:00Z'));
    expect(await nextDue(deps, new Date('2026-12-07T09:00:00Z'))).toEqual(new Date('2026-12-10T09:00:00Z'));
    // The zone goes stale a week after it was read (the refresh-timezones job).
    expect(await nextDue(deps, new Date('2026-12-10T09:00:00Z'))).toEqual(new Date('2026-12-14T00:00:00Z'));
  });

  it('adds a mentor’s Friday 15:00 digest in the mentor’s zone, and a feed never fetched is due at once', async () => {
    const thursdayNoon = new Date('2026-12-10T12:00:00Z');
    await joinMember(
      database.db,
      { teamId: T, userId: 'UBERLIN', displayName: 'B', tz: 'Europe/Berlin', level: 'junior' },
      thursdayNoon,
    );
    await ensurePerson(
      database.db,
      { teamId: T, userId: 'ULA', displayName: 'L', tz: 'America/Los_Angeles' },
      thursdayNoon,
    );
    expect(await nextDue(deps, thursdayNoon)).toEqual(new Date('2026-12-14T09:00:00Z'));
    await setMentor(database.db, T, 'UBERLIN', 'ULA', thursdayNoon);
    expect(await nextDue(deps, thursdayNoon)).toEqual(new Date('2026-12-11T23:00:00Z'));
    await setMemberFeed(
      database.db,
      { teamId: T, userId: 'UBERLIN', url: 'https://127.0.0.1:9/f.ics', urlMasked: 'https://127.0.0.1/…' },
      thursdayNoon,
    );
    expect(await nextDue(deps, thursdayNoon)).toEqual(thursdayNoon);
  });
});

describe('dueByJob', () => {
  it('says which job each instant is for, so a jump’s tick runs only those (and every job for a stored instant)', async () => {
    await joinMember(
      database.db,
      { teamId: T, userId: 'UBERLIN', displayName: 'B', tz: 'Europe/Berlin', level: 'junior' },
      MONDAY,
    );
    await ensurePerson(database.db, { teamId: T, userId: 'ULA', displayName: 'L', tz: 'America/Los_Angeles' }, MONDAY);
    await setMentor(database.db, T, 'UBERLIN', 'ULA', MONDAY);
    expect(Object.fromEntries(await dueByJob(deps, MONDAY))).toEqual({
      'weekly-prompts': new Date('2026-12-07T09:00:00Z'),
      reminders: new Date('2026-12-10T09:00:00Z'),
      digests: new Date('2026-12-11T23:00:00Z'),
      // The zones go stale a week after they were read: every job, as for any stored instant.
      all: new Date('2026-12-14T00:00:00Z'),
    });
    expect(await nextDue(deps, MONDAY)).toEqual(new Date('2026-12-07T09:00:00Z'));
  });
});

describe('nextCronTick', () => {
  it('is the first instant the cron fires at or after the given one', () => {
    expect(nextCronTick('*/5 * * * *', new Date('2026-12-07T09:00:00Z'))).toEqual(new Date('2026-12-07T09:00:00Z'));
    expect(nextCronTick('*/5 * * * *', new Date('2026-12-07T09:00:00.001Z'))).toEqual(new Date('2026-12-07T09:05:00Z'));
    expect(nextCronTick('*/5 * * * *', new Date('2026-12-07T04:31:00Z'))).toEqual(new Date('2026-12-07T04:35:00Z'));
  });
});
