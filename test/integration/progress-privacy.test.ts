import { describe, expect, it } from 'vitest';
import { latestSharedCheckins, mergeRows, progressRows } from '../../src/db/progress.ts';
import { insertPrompt, storeCheckin } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAll, TEAM } from '../support/members.ts';

// Thursday 10 December 2026, 13:00 in Berlin: week 2026-W50, fourth quarter.
const NOW = new Date('2026-12-10T12:00:00Z');
const ANA = { teamId: TEAM, userId: 'UANA', tz: 'Europe/Berlin' };
const BEN = { teamId: TEAM, userId: 'UBEN', tz: 'America/New_York' };
const keyed = (userId: string) => ({ teamId: TEAM, userId });

// What a mentor's digest, `/growth summary` and Home read of a member's check-ins: a private
// one reaches nobody but its author, not its words, its rating, its week nor its prompt.
describe('progress rows: a private check-in is the author’s alone', () => {
  const d = useTestDatabase((db) =>
    joinAll(db, [
      ['UANA', 'junior', 'Europe/Berlin'],
      ['UBEN', 'junior', 'America/New_York'],
    ]),
  );

  let n = 0;
  async function checkin(
    userId: string,
    at: string,
    o: { competency?: string | null; rating?: number | null; help?: boolean; private?: boolean; prompt?: string },
  ) {
    const created = new Date(at);
    const week = `k${++n}`;
    const nudge = o.prompt
      ? await insertPrompt(d.db, {
          userId,
          week,
          createdAt: created,
          competencyId: 'junior-c1',
          promptId: o.prompt,
          promptText: `The prompt ${o.prompt}.`,
        })
      : undefined;
    const competency = o.competency === undefined ? 'junior-c1' : o.competency;
    return (
      await storeCheckin(d.db, {
        user_id: userId,
        competency_id: competency,
        competency_name: competency && `Name of ${competency}`,
        text: `${o.private ? 'SECRET' : 'shared'} ${at}`,
        rating: o.rating ?? null,
        private: o.private ?? false,
        needs_help: o.help ?? false,
        nudge_id: nudge?.id ?? null,
        idempotency_key: `k-${n}`,
        created_at: created,
      })
    ).checkin;
  }

  it('others see the shared weeks, ratings, prompt and requests for help; the author sees all of their own', async () => {
    await checkin('UANA', '2026-11-24T10:00:00Z', { rating: 2 }); // W48
    const help = await checkin('UANA', '2026-12-01T10:00:00Z', { rating: 3, prompt: 'p-shared' }); // W49
    const asked = await checkin('UANA', '2026-12-02T10:00:00Z', { help: true }); // W49
    // W50: only private check-ins, one of them (stored before the rule forbade it) asking for help.
    await checkin('UANA', '2026-12-08T10:00:00Z', { rating: 4, private: true, prompt: 'p-private' });
    await checkin('UANA', '2026-12-08T11:00:00Z', { competency: 'junior-c2', private: true });
    const secretHelp = await checkin('UANA', '2026-12-09T10:00:00Z', { help: true, private: true });
    await d.db
      .insertInto('help_requests')
      .values({ checkin_id: asked.id, team_id: TEAM, user_id: 'UANA', offered_by: 'UMENTOR', offered_at: NOW })
      .execute();
    // A week the member paused.
    await d.db
      .insertInto('deliveries')
      .values({ team_id: TEAM, user_id: 'UANA', kind: 'prompt', week: '2026-W47', status: 'skipped', claimed_at: NOW })
      .execute();
    expect(help.id).toBeDefined();

    const author = await progressRows(d.db, [ANA], NOW, 'author');
    const others = await progressRows(d.db, [ANA], NOW, 'others');
    const weeks = (r: typeof author) => r.checkinWeeks.map((w) => w.week).sort();
    expect(weeks(author)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    expect(weeks(others)).toEqual(['2026-W48', '2026-W49']);
    expect(others.checkinWeeks[0]).toEqual({ teamId: TEAM, userId: 'UANA', week: expect.any(String) });
    expect(others.pausedWeeks).toEqual([{ teamId: TEAM, userId: 'UANA', week: '2026-W47' }]);

    const byId = (r: typeof author) => [...r.competencies].sort((a, b) => a.competencyId.localeCompare(b.competencyId));
    expect(byId(author)).toEqual([
      {
        ...keyed('UANA'),
        competencyId: 'junior-c1',
        name: 'Name of junior-c1',
        thisQuarter: 5,
        lastAt: new Date('2026-12-09T10:00:00Z'),
        latestRating: 4,
        latestRatedAt: new Date('2026-12-08T10:00:00Z'),
        previousRating: 3,
        latestSharedPromptId: 'p-shared',
      },
      {
        ...keyed('UANA'),
        competencyId: 'junior-c2',
        name: 'Name of junior-c2',
        thisQuarter: 1,
        lastAt: new Date('2026-12-08T11:00:00Z'),
        latestRating: null,
        latestRatedAt: null,
        previousRating: null,
        latestSharedPromptId: null,
      },
    ]);
    expect(byId(others)).toEqual([
      {
        ...keyed('UANA'),
        competencyId: 'junior-c1',
        name: 'Name of junior-c1',
        thisQuarter: 3,
        lastAt: new Date('2026-12-02T10:00:00Z'),
        latestRating: 3,
        latestRatedAt: new Date('2026-12-01T10:00:00Z'),
        previousRating: 2,
        latestSharedPromptId: 'p-shared',
      },
    ]);

    const requests = (r: typeof author) => r.helpRequests.map((h) => h.checkinId);
    expect(requests(author).sort()).toEqual([asked.id, secretHelp.id].sort());
    expect(others.helpRequests).toEqual([
      {
        ...keyed('UANA'),
        checkinId: asked.id,
        competencyId: 'junior-c1',
        at: new Date('2026-12-02T10:00:00Z'),
        text: 'shared 2026-12-02T10:00:00Z',
        offeredBy: 'UMENTOR',
        offeredAt: NOW,
      },
    ]);
    expect(JSON.stringify(others)).not.toContain('SECRET');
    expect(others.helpRequests.map((h) => h.checkinId)).not.toContain(secretHelp.id);
  });

  it('a member with one rating has no previous one; no members, no rows', async () => {
    await checkin('UBEN', '2026-12-07T15:00:00Z', { rating: 2 });
    const [c] = (await progressRows(d.db, [BEN], NOW, 'others')).competencies;
    expect(c).toMatchObject({ userId: 'UBEN', latestRating: 2, previousRating: null, thisQuarter: 1 });
    expect(await progressRows(d.db, [], NOW, 'others')).toEqual({
      checkinWeeks: [],
      pausedWeeks: [],
      competencies: [],
      helpRequests: [],
    });
    expect(await latestSharedCheckins(d.db, [], new Date(0))).toEqual(new Map());
  });

  it('the digest quotes each member’s latest shared check-in, never a newer private one', async () => {
    const shared = await checkin('UANA', '2026-12-07T10:00:00Z', {});
    await checkin('UANA', '2026-12-08T10:00:00Z', { private: true });
    const bens = await checkin('UBEN', '2026-12-08T10:00:00Z', {});
    const latest = await latestSharedCheckins(d.db, [ANA, BEN], new Date('2026-12-04T00:00:00Z'));
    expect(latest).toEqual(
      new Map([
        [
          `${TEAM}|UANA`,
          {
            teamId: TEAM,
            userId: 'UANA',
            id: shared.id,
            competencyId: 'junior-c1',
            text: 'shared 2026-12-07T10:00:00Z',
            createdAt: shared.createdAt,
          },
        ],
        [`${TEAM}|UBEN`, expect.objectContaining({ id: bens.id, text: 'shared 2026-12-08T10:00:00Z' })],
      ]),
    );
  });

  it('Home of a mentor holds their own rows and their mentees’, together', async () => {
    await checkin('UANA', '2026-12-07T10:00:00Z', { rating: 2, help: true });
    await checkin('UBEN', '2026-12-08T10:00:00Z', { rating: 3, help: true });
    await d.db
      .insertInto('deliveries')
      .values([
        { team_id: TEAM, user_id: 'UANA', kind: 'prompt', week: '2026-W47', status: 'skipped', claimed_at: NOW },
        { team_id: TEAM, user_id: 'UBEN', kind: 'prompt', week: '2026-W46', status: 'skipped', claimed_at: NOW },
      ])
      .execute();
    const both = mergeRows(
      await progressRows(d.db, [ANA], NOW, 'author'),
      await progressRows(d.db, [BEN], NOW, 'others'),
    );
    const who = (list: readonly { userId: string }[]) => list.map((x) => x.userId);
    expect(who(both.checkinWeeks)).toEqual(['UANA', 'UBEN']);
    expect(who(both.pausedWeeks)).toEqual(['UANA', 'UBEN']);
    expect(who(both.competencies)).toEqual(['UANA', 'UBEN']);
    expect(who(both.helpRequests)).toEqual(['UANA', 'UBEN']);
  });
});
