import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { createMetrics } from '../../src/metrics.ts';
import { type FormCheckin, saveFormCheckin, setCheckinPrivacy, withdrawCheckin } from '../../src/services/checkins.ts';
import { checkinForm as form } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAnaAndBen } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

const now = new Date('2026-12-08T10:00:00Z');

describe('check-in service', () => {
  const d = useTestDatabase(joinAnaAndBen);
  let deps: Deps;
  beforeAll(async () => {
    deps = { now: () => now, rubrics: rubricFixture, metrics: createMetrics() } as Deps;
  });
  const saved = async (o: Partial<FormCheckin> = {}) => {
    const r = await saveFormCheckin(deps, d.db, form(o));
    if (r.kind !== 'saved') throw new Error(`not saved: ${r.kind}`);
    return r.checkin;
  };
  const stored = () => d.db.selectFrom('checkins').select(['user_id', 'private']).orderBy('id').execute();

  it('saves a form once per form id, and refuses one who has not joined', async () => {
    const c = await saved();
    expect(c).toMatchObject({ userId: 'UANA', text: 'Wrote the runbook', competencyId: 'junior-c1' });
    expect((await saved()).id).toBe(c.id);
    expect(await saveFormCheckin(deps, d.db, form({ userId: 'UNEW', formId: 'V2' }))).toEqual({ kind: 'not-joined' });
    expect(await stored()).toEqual([{ user_id: 'UANA', private: false }]);
  });

  it('keeps a request for help shared: neither saved private nor made private later', async () => {
    const refused = await saveFormCheckin(deps, d.db, form({ needsHelp: true, isPrivate: true }));
    expect(refused).toMatchObject({ kind: 'private-help' });
    expect(await stored()).toEqual([]);
    const help = await saved({ needsHelp: true });
    expect(await setCheckinPrivacy(deps, d.db, { checkinId: help.id, userId: 'UANA', isPrivate: true })).toMatchObject({
      kind: 'private-help',
    });
    expect(await stored()).toEqual([{ user_id: 'UANA', private: false }]);
  });

  it('changes the privacy of the author’s own check-in only', async () => {
    const c = await saved();
    expect(await setCheckinPrivacy(deps, d.db, { checkinId: c.id, userId: 'UBEN', isPrivate: true })).toEqual({
      kind: 'not-found',
    });
    expect(await stored()).toEqual([{ user_id: 'UANA', private: false }]);
    expect(await setCheckinPrivacy(deps, d.db, { checkinId: c.id, userId: 'UANA', isPrivate: true })).toMatchObject({
      kind: 'changed',
      checkin: { id: c.id, private: true },
    });
    expect(await stored()).toEqual([{ user_id: 'UANA', private: true }]);
  });

  it('withdraws the author’s own check-in only', async () => {
    const c = await saved();
    expect(await withdrawCheckin(deps, d.db, { checkinId: c.id, userId: 'UBEN' })).toBeUndefined();
    expect(await stored()).toHaveLength(1);
    expect(await withdrawCheckin(deps, d.db, { checkinId: c.id, userId: 'UANA' })).toMatchObject({
      gone: { id: c.id },
    });
    expect(await stored()).toEqual([]);
  });
});
