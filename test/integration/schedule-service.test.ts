import { describe, expect, it } from 'vitest';
import { claimDeliveries } from '../../src/db/deliveries.ts';
import { removeMember } from '../../src/db/members.ts';
import type { Deps } from '../../src/deps.ts';
import { localWeek } from '../../src/growth/schedule.ts';
import { setPromptSchedule } from '../../src/services/schedule.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');

describe('schedule service', () => {
  const d = useTestDatabase((db) => join(db, 'UANA', 'junior', 'Europe/Berlin'));
  const deps = { now: () => now } as Deps;
  const slot = () =>
    d.db
      .selectFrom('members')
      .select(['prompt_weekday', 'prompt_minute'])
      .where('user_id', '=', 'UANA')
      .executeTakeFirst();

  it('moves a member’s prompt, and says when this week’s prompt was already sent', async () => {
    const set = (minute: number) => setPromptSchedule(deps, d.db, { teamId: TEAM, userId: 'UANA', weekday: 3, minute });
    expect(await set(9 * 60 + 30)).toEqual({ kind: 'set', tz: 'Europe/Berlin', startsNextWeek: false });
    expect(await slot()).toEqual({ prompt_weekday: 3, prompt_minute: 570 });
    const week = localWeek(now, 'Europe/Berlin');
    await claimDeliveries(d.db, 'prompt', [{ teamId: TEAM, userId: 'UANA', week }], now);
    expect(await set(16 * 60)).toEqual({ kind: 'set', tz: 'Europe/Berlin', startsNextWeek: true });
  });

  it('refuses one who has not joined or has left, storing nothing', async () => {
    await join(d.db, 'ULEFT', 'junior', 'Europe/Berlin');
    await removeMember(d.db, TEAM, 'ULEFT', now);
    expect(await setPromptSchedule(deps, d.db, { teamId: TEAM, userId: 'ULEFT', weekday: 3, minute: 570 })).toEqual({
      kind: 'not-joined',
    });
    expect(await setPromptSchedule(deps, d.db, { teamId: TEAM, userId: 'UNEW', weekday: 3, minute: 570 })).toEqual({
      kind: 'not-joined',
    });
    expect(await d.db.selectFrom('members').select(['user_id', 'prompt_minute']).orderBy('user_id').execute()).toEqual([
      { user_id: 'UANA', prompt_minute: 600 },
      { user_id: 'ULEFT', prompt_minute: 600 },
    ]);
  });
});
