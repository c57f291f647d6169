// The mentorship reads other parts lean on: the roster import (current mentorships of some
// mentees), the sandbox (a team's current ones), and telling mentees their mentor left (who has a
// mentor again since). Only current mentorships count, and only in the team asked about.
import { beforeEach, describe, expect, it } from 'vitest';
import { ensurePerson } from '../../src/db/members.ts';
import {
  currentMentorships,
  currentMentorshipsOf,
  mentorshipsSince,
  setMentor,
  withMentorNow,
} from '../../src/db/mentorships.ts';
import { useTestDatabase } from '../support/db.ts';
import { OTHER_TEAM as OTHER, TEAM } from '../support/members.ts';

const start = new Date('2026-11-01T00:00:00Z');
const later = new Date('2026-12-01T00:00:00Z');

describe('mentorship reads', () => {
  const d = useTestDatabase();
  beforeEach(async () => {
    for (const [team, users] of [
      [TEAM, ['UANA', 'UBEN', 'UCY', 'UMO', 'UEVE']],
      [OTHER, ['UBEN', 'UZED']],
    ] as const)
      for (const userId of users)
        await ensurePerson(d.db, { teamId: team, userId, displayName: userId, tz: 'UTC' }, start);
    // Ana: Mo, then Eve (Mo's ended). Ben: Mo, ended by Mo leaving (no mentor now). Cy: Eve.
    // In another team, a Ben with a current mentor (not this team's Ben).
    await setMentor(d.db, TEAM, 'UANA', 'UMO', start);
    await setMentor(d.db, TEAM, 'UANA', 'UEVE', later);
    await setMentor(d.db, TEAM, 'UBEN', 'UMO', start);
    await d.db.updateTable('mentorships').set({ ended_at: later }).where('mentee_id', '=', 'UBEN').execute();
    await setMentor(d.db, TEAM, 'UCY', 'UEVE', start);
    await setMentor(d.db, OTHER, 'UBEN', 'UZED', start);
  });

  const pairs = (rows: { teamId: string; menteeId: string; mentorId: string }[]) =>
    rows.map((m) => `${m.teamId} ${m.menteeId}<-${m.mentorId}`).sort();
  const idOf = async (team: string, mentee: string, mentor: string) =>
    (
      await d.db
        .selectFrom('mentorships')
        .select('id')
        .where('team_id', '=', team)
        .where('mentee_id', '=', mentee)
        .where('mentor_id', '=', mentor)
        .executeTakeFirstOrThrow()
    ).id;

  it("the current mentorships of some mentees: only current ones, only this team's, none for no mentees", async () => {
    expect(pairs(await currentMentorshipsOf(d.db, TEAM, ['UANA', 'UBEN']))).toEqual([`${TEAM} UANA<-UEVE`]);
    expect(pairs(await currentMentorshipsOf(d.db, OTHER, ['UANA', 'UBEN']))).toEqual([`${OTHER} UBEN<-UZED`]);
    expect(await currentMentorshipsOf(d.db, TEAM, [])).toEqual([]);
  });

  it("a team's current mentorships, and none of another team's", async () => {
    expect(pairs(await currentMentorships(d.db, TEAM))).toEqual([`${TEAM} UANA<-UEVE`, `${TEAM} UCY<-UEVE`]);
    expect(pairs(await currentMentorships(d.db, OTHER))).toEqual([`${OTHER} UBEN<-UZED`]);
    expect(await currentMentorships(d.db, 'T0NOBODY')).toEqual([]);
  });

  it('mentorships by id, with whether the mentee has a mentor again since (in the same team)', async () => {
    const anaMo = await idOf(TEAM, 'UANA', 'UMO');
    const benMo = await idOf(TEAM, 'UBEN', 'UMO');
    const since = await mentorshipsSince(d.db, [anaMo, benMo]);
    expect([...since.entries()].sort()).toEqual(
      [
        [anaMo, { mentorId: 'UMO', hasMentorNow: true }],
        // The other team's Ben has a mentor; this Ben does not.
        [benMo, { mentorId: 'UMO', hasMentorNow: false }],
      ].sort(),
    );
    expect((await mentorshipsSince(d.db, [])).size).toBe(0);
  });

  it('which of these people have a mentor now, by team', async () => {
    const now = await withMentorNow(d.db, [
      { teamId: TEAM, userId: 'UANA' },
      { teamId: TEAM, userId: 'UBEN' },
      { teamId: TEAM, userId: 'UCY' },
      { teamId: OTHER, userId: 'UBEN' },
      { teamId: OTHER, userId: 'UANA' },
    ]);
    expect([...now].sort()).toEqual([`${OTHER}|UBEN`, `${TEAM}|UANA`, `${TEAM}|UCY`].sort());
    expect((await withMentorNow(d.db, [])).size).toBe(0);
  });
});
