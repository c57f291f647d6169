import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setMemberFeed } from '../../src/db/oncall-feeds.ts';
import { replaceFeedShifts } from '../../src/db/shifts.ts';
import type { Deps } from '../../src/deps.ts';
import { fileRetro, type RetroInput } from '../../src/services/retros.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAnaAndBen, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

const now = new Date('2026-12-10T12:00:00Z');
const at = (s: string) => new Date(s);

describe('retro service', () => {
  const d = useTestDatabase(joinAnaAndBen);
  let deps: Deps;
  let first: string;
  let second: string;
  beforeAll(async () => {
    deps = { now: () => now, rubrics: rubricFixture } as Deps;
  });
  beforeEach(async () => {
    const feed = await setMemberFeed(
      d.db,
      { teamId: TEAM, userId: 'UANA', url: 'https://x.example/a', urlMasked: 'x' },
      now,
    );
    // Two shifts back to back: one stretch, one retro.
    await replaceFeedShifts(
      d.db,
      { id: feed.id, teamId: TEAM },
      [
        {
          userId: 'UANA',
          uid: 'a',
          startsAt: at('2026-12-01T09:00:00Z'),
          endsAt: at('2026-12-04T09:00:00Z'),
          allDay: false,
        },
        {
          userId: 'UANA',
          uid: 'b',
          startsAt: at('2026-12-04T09:00:00Z'),
          endsAt: at('2026-12-08T09:00:00Z'),
          allDay: false,
        },
      ],
      at('2026-11-01T00:00:00Z'),
      now,
    );
    const ids = await d.db.selectFrom('oncall_shifts').select('id').orderBy('starts_at').execute();
    [first, second] = ids.map((s) => String(s.id)) as [string, string];
  });
  const retro = (o: Partial<RetroInput> = {}): RetroInput => ({
    teamId: TEAM,
    userId: 'UANA',
    shiftId: second,
    numbers: { pages: 4, actionable: 1, toilHours: 2 },
    alertToFix: null,
    handover: 'Disk alert is noisy',
    isPrivate: false,
    formId: 'V1',
    ...o,
  });
  const stored = async () => ({
    retros: await d.db.selectFrom('oncall_retros').select(['user_id', 'pages']).execute(),
    checkins: await d.db.selectFrom('checkins').select(['user_id', 'private']).execute(),
  });

  it('files one retro for the whole stretch, whichever of its shifts the form names', async () => {
    expect(await fileRetro(deps, d.db, retro())).toEqual({ kind: 'filed' });
    expect(await fileRetro(deps, d.db, retro({ shiftId: first, formId: 'V2' }))).toEqual({ kind: 'filed-before' });
    expect(await stored()).toEqual({
      retros: [{ user_id: 'UANA', pages: 4 }],
      checkins: [{ user_id: 'UANA', private: false }],
    });
  });

  it('files under the person’s own shift only, and only for a member', async () => {
    expect(await fileRetro(deps, d.db, retro({ userId: 'UBEN' }))).toEqual({ kind: 'no-shift' });
    expect(await fileRetro(deps, d.db, retro({ userId: 'UNEW' }))).toEqual({ kind: 'not-joined' });
    expect(await stored()).toEqual({ retros: [], checkins: [] });
  });

  it('keeps a private retro’s words in a private check-in', async () => {
    expect(await fileRetro(deps, d.db, retro({ isPrivate: true }))).toEqual({ kind: 'filed' });
    expect((await stored()).checkins).toEqual([{ user_id: 'UANA', private: true }]);
  });
});
