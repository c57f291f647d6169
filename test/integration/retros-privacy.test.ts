import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { setMemberFeed } from '../../src/db/oncall-feeds.ts';
import { ownShift, recentRetros, shiftRef, shiftsAwaitingRetro } from '../../src/db/retros.ts';
import { replaceFeedShifts } from '../../src/db/shifts.ts';
import type { Deps } from '../../src/deps.ts';
import { fileRetro, type RetroInput, retroStretch } from '../../src/services/retros.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAnaAndBen, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

const NOW = new Date('2026-12-20T12:00:00Z');
const DAY = 86_400_000;
const at = (s: string) => new Date(s);

// On-call retros: filed only on the member's own shift, in the words the mentor reads, and a
// private one (its check-in is private) reaches no one else.
describe('on-call retros: ownership and privacy', () => {
  const d = useTestDatabase(joinAnaAndBen);
  let deps: Deps;
  beforeAll(async () => {
    deps = { now: () => NOW, rubrics: rubricFixture } as Deps;
  });

  /** Weekly shifts for a member, Monday 09:00 UTC to the next Monday, starting on each date given. */
  async function shifts(userId: string, starts: string[]) {
    const feed = await setMemberFeed(
      d.db,
      { teamId: TEAM, userId, url: `https://x.example/${userId}`, urlMasked: 'x' },
      NOW,
    );
    await replaceFeedShifts(
      d.db,
      { id: feed.id, teamId: TEAM },
      starts.map((s, i) => ({
        userId,
        uid: `${userId}-${i}`,
        startsAt: at(s),
        endsAt: new Date(at(s).getTime() + 7 * DAY),
        allDay: false,
      })),
      at('2026-01-01T00:00:00Z'),
      NOW,
    );
    const ids = await d.db
      .selectFrom('oncall_shifts')
      .select('id')
      .where('user_id', '=', userId)
      .orderBy('starts_at')
      .execute();
    return ids.map((s) => String(s.id));
  }
  const retro = (o: Partial<RetroInput> & { shiftId: string }): RetroInput => ({
    teamId: TEAM,
    userId: 'UANA',
    numbers: { pages: 4, actionable: 1, toilHours: 2 },
    alertToFix: null,
    handover: 'Disk alert is noisy',
    isPrivate: false,
    formId: `V-${o.shiftId}`,
    ...o,
  });

  it('the retro’s words are the check-in the mentor reads, under the level’s on-call competency', async () => {
    const [a, b] = await shifts('UANA', ['2026-11-02T09:00:00Z', '2026-11-23T09:00:00Z']);
    expect(await fileRetro(deps, d.db, retro({ shiftId: a!, alertToFix: 'DiskFull on db-3' }))).toEqual({
      kind: 'filed',
    });
    const long = 'h'.repeat(500);
    expect(
      await fileRetro(
        deps,
        d.db,
        retro({ shiftId: b!, handover: long, numbers: { pages: 0, actionable: 0, toilHours: 1 } }),
      ),
    ).toEqual({
      kind: 'filed',
    });
    const stored = await d.db
      .selectFrom('checkins')
      .select(['user_id', 'text', 'competency_id', 'competency_name', 'rating', 'source', 'private'])
      .orderBy('id')
      .execute();
    const c1 = rubricFixture.byId.get('junior-c1')!;
    expect(stored[0]).toEqual({
      user_id: 'UANA',
      text: 'On-call retro: 4 pages, 1 needed action, 2 h of toil. Alert to delete or fix: DiskFull on db-3. Handover: Disk alert is noisy',
      competency_id: c1.id,
      competency_name: c1.name,
      rating: null,
      source: 'modal',
      private: false,
    });
    // No alert named: no sentence about one; the longest handover the form takes is kept whole.
    expect(stored[1]!.text).toBe(`On-call retro: 0 pages, 0 needed action, 1 h of toil. Handover: ${long}`);
    const retros = await d.db
      .selectFrom('oncall_retros')
      .select(['shift_id', 'shift_starts_at', 'shift_ends_at', 'pages', 'alert_to_fix', 'handover'])
      .orderBy('id')
      .execute();
    expect(retros[0]).toEqual({
      shift_id: a,
      shift_starts_at: at('2026-11-02T09:00:00Z'),
      shift_ends_at: at('2026-11-09T09:00:00Z'),
      pages: 4,
      alert_to_fix: 'DiskFull on db-3',
      handover: 'Disk alert is noisy',
    });
  });

  it('a shift is the member’s own only; a tampered id finds none', async () => {
    const [bens] = await shifts('UBEN', ['2026-11-02T09:00:00Z']);
    // Ids of two digits and more, so a check that took one digit only would refuse the real ones.
    await sql`update oncall_shifts set id = 12 where id = ${bens}`.execute(d.db);
    expect(await ownShift(d.db, '12', 'UBEN')).toMatchObject({
      id: '12',
      userId: 'UBEN',
      startsAt: at('2026-11-02T09:00:00Z'),
    });
    expect(await ownShift(d.db, '12', 'UANA')).toBeUndefined();
    for (const id of ['x12', '12x', '1 2']) expect(await ownShift(d.db, id, 'UBEN')).toBeUndefined();
    expect(await retroStretch(d.db, '12', 'UANA')).toBeUndefined();
    expect(await fileRetro(deps, d.db, retro({ shiftId: '12' }))).toEqual({ kind: 'no-shift' });
    expect(await d.db.selectFrom('checkins').select('id').execute()).toEqual([]);
  });

  it('a stretch reaches back-to-back shifts up to a month around the one named, and no further', async () => {
    // Four weeks back to back, then a gap, then another week.
    const ids = await shifts('UANA', [
      '2026-10-05T09:00:00Z',
      '2026-10-12T09:00:00Z',
      '2026-10-19T09:00:00Z',
      '2026-10-26T09:00:00Z',
      '2026-11-16T09:00:00Z',
    ]);
    expect(await retroStretch(d.db, ids[2]!, 'UANA')).toEqual({
      id: ids[0],
      teamId: TEAM,
      userId: 'UANA',
      startsAt: at('2026-10-05T09:00:00Z'),
      endsAt: at('2026-11-02T09:00:00Z'),
    });
    expect(await retroStretch(d.db, ids[4]!, 'UANA')).toEqual({
      id: ids[4],
      teamId: TEAM,
      userId: 'UANA',
      startsAt: at('2026-11-16T09:00:00Z'),
      endsAt: at('2026-11-23T09:00:00Z'),
    });
  });

  it('the mentor reads the last four shared retros of each mentee, newest first, and none that is private', async () => {
    const starts = ['2026-09-07', '2026-09-21', '2026-10-05', '2026-10-19', '2026-11-02', '2026-11-16'].map(
      (s) => `${s}T09:00:00Z`,
    );
    const ids = await shifts('UANA', starts);
    for (const [i, id] of ids.entries())
      await fileRetro(
        deps,
        d.db,
        retro({ shiftId: id, numbers: { pages: i, actionable: 0, toilHours: 0 }, isPrivate: i === 5 }),
      );
    const [bens] = await shifts('UBEN', ['2026-11-02T09:00:00Z']);
    await fileRetro(deps, d.db, retro({ userId: 'UBEN', shiftId: bens!, handover: 'quiet week' }));
    // The private one exists: its author filed it.
    expect(await d.db.selectFrom('oncall_retros').select('pages').where('pages', '=', 5).execute()).toHaveLength(1);
    const members = [
      { teamId: TEAM, userId: 'UANA' },
      { teamId: TEAM, userId: 'UBEN' },
    ];
    const seen = await recentRetros(d.db, members);
    expect(seen.map((r) => [r.userId, r.pages])).toEqual([
      ['UANA', 4],
      ['UANA', 3],
      ['UANA', 2],
      ['UANA', 1],
      ['UBEN', 4],
    ]);
    expect(seen[0]).toEqual({
      teamId: TEAM,
      userId: 'UANA',
      shiftStartsAt: at('2026-11-02T09:00:00Z'),
      endsAt: at('2026-11-09T09:00:00Z'),
      pages: 4,
      actionable: 0,
      toilHours: 0,
      alertToFix: null,
      handover: 'Disk alert is noisy',
    });
    expect((await recentRetros(d.db, members, 2)).map((r) => r.pages)).toEqual([4, 3, 4]);
    expect(await recentRetros(d.db, [])).toEqual([]);
  });

  it('a retro is due for each member’s shift that ended, once, and never for one who left', async () => {
    // Anna's second shift ends after now: she is still on call.
    const [ana] = await shifts('UANA', ['2026-12-07T09:00:00Z', '2026-12-16T09:00:00Z']);
    const [ben] = await shifts('UBEN', ['2026-12-07T09:00:00Z']);
    const from = at('2026-12-14T00:00:00Z');
    expect((await shiftsAwaitingRetro(d.db, from, NOW)).map((s) => [s.id, s.userId, s.tz, s.memberStatus])).toEqual([
      [ana, 'UANA', 'Europe/Berlin', 'active'],
      [ben, 'UBEN', 'Europe/Berlin', 'active'],
    ]);
    await d.db.updateTable('members').set({ status: 'left' }).where('user_id', '=', 'UBEN').execute();
    await d.db
      .insertInto('deliveries')
      .values({ team_id: TEAM, user_id: 'UANA', kind: 'retro', week: 'once', ref: shiftRef(ana!), claimed_at: NOW })
      .execute();
    expect(await shiftsAwaitingRetro(d.db, from, NOW)).toEqual([]);
  });

  it('a retro the database refuses is an error, not one "filed before"', async () => {
    const [a] = await shifts('UANA', ['2026-11-02T09:00:00Z']);
    await expect(fileRetro(deps, d.db, retro({ shiftId: a!, handover: 'h'.repeat(501) }))).rejects.toThrow(/handover/);
    expect(await d.db.selectFrom('checkins').select('id').execute()).toEqual([]);
  });

  it('a level whose rubric has no on-call prompt files the retro under no competency', async () => {
    const [a] = await shifts('UANA', ['2026-11-02T09:00:00Z']);
    const { oncall_prompts: _none, ...junior } = rubricFixture.levels.junior;
    const rubrics = { ...rubricFixture, levels: { ...rubricFixture.levels, junior } };
    expect(await fileRetro({ ...deps, rubrics } as Deps, d.db, retro({ shiftId: a! }))).toEqual({ kind: 'filed' });
    expect(await d.db.selectFrom('checkins').select(['competency_id', 'competency_name', 'text']).execute()).toEqual([
      {
        competency_id: null,
        competency_name: null,
        text: 'On-call retro: 4 pages, 1 needed action, 2 h of toil. Handover: Disk alert is noisy',
      },
    ]);
  });
});
