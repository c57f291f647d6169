import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { assignMentor, isMentorOf, type KnownPerson, mentorOf, nameMentor } from '../../src/services/mentorships.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');
const person = (o: Partial<KnownPerson> = {}): KnownPerson => ({
  displayName: 'Someone',
  tz: 'Europe/Berlin',
  isBot: false,
  deleted: false,
  ...o,
});

describe('mentorship service', () => {
  let d: TestDatabase;
  let deps: Deps;
  const asked: string[] = [];
  const lookup = async (id: string) => (
    asked.push(id), id === 'UBOT' ? person({ isBot: true }) : id === 'UGONE' ? person({ deleted: true }) : person()
  );
  beforeAll(async () => {
    d = await createTestDatabase();
    deps = { now: () => now } as Deps;
  });
  afterAll(async () => d?.close());
  beforeEach(async () => {
    await d.truncate();
    asked.length = 0;
    await join(d.db, 'UANA', 'junior', 'Europe/Berlin');
  });
  const name = (menteeId: string, mentorId: string) =>
    nameMentor(deps, d.db, { teamId: TEAM, menteeId, mentorId, lookup });

  it('names a mentor, makes them known, and ends the previous mentorship instead of overwriting it', async () => {
    expect(await name('UANA', 'UMO')).toEqual({ kind: 'named', level: 'junior', previousMentorId: null });
    expect(await mentorOf(d.db, TEAM, 'UANA')).toBe('UMO');
    expect(await d.db.selectFrom('members').select('tz').where('user_id', '=', 'UMO').executeTakeFirst()).toEqual({
      tz: 'Europe/Berlin',
    });
    expect(await name('UANA', 'UMO')).toEqual({ kind: 'unchanged' });
    expect(await name('UANA', 'UBEA')).toEqual({ kind: 'named', level: 'junior', previousMentorId: 'UMO' });
    // Only the current mentor is the mentor: the previous one no longer is, nor is the mentee.
    expect(await isMentorOf(d.db, TEAM, 'UANA', 'UBEA')).toBe(true);
    expect(await isMentorOf(d.db, TEAM, 'UANA', 'UMO')).toBe(false);
    expect(await isMentorOf(d.db, TEAM, 'UANA', 'UANA')).toBe(false);
    const rows = await d.db.selectFrom('mentorships').select(['mentor_id', 'ended_at']).orderBy('id').execute();
    expect(rows).toEqual([
      { mentor_id: 'UMO', ended_at: now },
      { mentor_id: 'UBEA', ended_at: null },
    ]);
  });

  it('refuses a mentee who has not joined (asking Slack nothing), themselves, a bot and a deactivated account', async () => {
    expect(await name('UNEW', 'UMO')).toEqual({ kind: 'not-joined' });
    expect(asked).toEqual([]);
    expect(await name('UANA', 'UANA')).toEqual({ kind: 'self' });
    expect(await name('UANA', 'UBOT')).toEqual({ kind: 'bot' });
    expect(await name('UANA', 'UGONE')).toEqual({ kind: 'deactivated' });
    expect(await d.db.selectFrom('mentorships').selectAll().execute()).toEqual([]);
  });

  it('lets an admin assign a mentor to someone who has not joined yet, and says so', async () => {
    const assign = (menteeId: string, mentorId: string) =>
      assignMentor(deps, d.db, { teamId: TEAM, menteeId, mentorId, lookup });
    expect(await assign('UNEW', 'UNEW')).toEqual({ kind: 'self' });
    expect(await assign('UNEW', 'UMO')).toEqual({ kind: 'assigned', previousMentorId: null, menteeJoined: false });
    expect(await assign('UANA', 'UMO')).toEqual({ kind: 'assigned', previousMentorId: null, menteeJoined: true });
    expect(await assign('UANA', 'UMO')).toEqual({ kind: 'unchanged' });
    expect(await mentorOf(d.db, TEAM, 'UNEW')).toBe('UMO');
  });
});
