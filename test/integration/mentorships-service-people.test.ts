// Who a mentorship makes known: the name and timezone Slack gives for a new mentor (or mentee),
// and UTC with no name when Slack could not say; and nobody is anybody's mentor by default.
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { assignMentor, isMentorOf, type KnownPerson, mentorOf, nameMentor } from '../../src/services/mentorships.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');

describe('mentorship service: the people it makes known', () => {
  const d = useTestDatabase((db) => join(db, 'UANA', 'junior', 'Europe/Berlin'));
  const deps = { now: () => now } as Deps;
  // Slack knows UMO and UNEW by name and zone; about anyone else it could not say.
  const slack: Record<string, KnownPerson> = {
    UMO: { displayName: 'Mo', tz: 'America/New_York', isBot: false, deleted: false },
    UNEW: { displayName: 'Nea', tz: 'Asia/Tokyo', isBot: false, deleted: false },
  };
  const lookup = async (id: string) => slack[id] ?? null;
  const person = (userId: string) =>
    d.db
      .selectFrom('members')
      .select(['display_name', 'tz'])
      .where('team_id', '=', TEAM)
      .where('user_id', '=', userId)
      .executeTakeFirst();

  it('a mentor Slack knows is stored with their name and timezone', async () => {
    expect(await nameMentor(deps, d.db, { teamId: TEAM, menteeId: 'UANA', mentorId: 'UMO', lookup })).toEqual({
      kind: 'named',
      level: 'junior',
      previousMentorId: null,
    });
    expect(await person('UMO')).toEqual({ display_name: 'Mo', tz: 'America/New_York' });
  });

  it('a mentor Slack could not tell us about is still named, in UTC and with no name', async () => {
    expect(await nameMentor(deps, d.db, { teamId: TEAM, menteeId: 'UANA', mentorId: 'UQUIET', lookup })).toEqual({
      kind: 'named',
      level: 'junior',
      previousMentorId: null,
    });
    expect(await person('UQUIET')).toEqual({ display_name: null, tz: 'UTC' });
    expect(await mentorOf(d.db, TEAM, 'UANA')).toBe('UQUIET');
  });

  it('an admin assigning makes both known: each with what Slack says of them, or UTC and no name', async () => {
    expect(await assignMentor(deps, d.db, { teamId: TEAM, menteeId: 'UNEW', mentorId: 'UQUIET', lookup })).toEqual({
      kind: 'assigned',
      previousMentorId: null,
      menteeJoined: false,
    });
    expect(await person('UNEW')).toEqual({ display_name: 'Nea', tz: 'Asia/Tokyo' });
    expect(await person('UQUIET')).toEqual({ display_name: null, tz: 'UTC' });

    expect(await assignMentor(deps, d.db, { teamId: TEAM, menteeId: 'USILENT', mentorId: 'UMO', lookup })).toEqual({
      kind: 'assigned',
      previousMentorId: null,
      menteeJoined: false,
    });
    expect(await person('USILENT')).toEqual({ display_name: null, tz: 'UTC' });
    expect(await person('UMO')).toEqual({ display_name: 'Mo', tz: 'America/New_York' });
  });

  it('someone nobody named has no mentor, and nobody is their mentor', async () => {
    expect(await mentorOf(d.db, TEAM, 'UANA')).toBeUndefined();
    expect(await isMentorOf(d.db, TEAM, 'UANA', 'UMO')).toBe(false);
  });
});
