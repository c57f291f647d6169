import { describe, expect, it } from 'vitest';
import { ensurePerson } from '../../src/db/members.ts';
import { setMentor } from '../../src/db/mentorships.ts';
import type { Deps } from '../../src/deps.ts';
import { createMetrics } from '../../src/metrics.ts';
import { type FormCheckin, saveFormCheckin, setCheckinPrivacy } from '../../src/services/checkins.ts';
import { chooseFocus } from '../../src/services/focus.ts';
import {
  addCheckinToAgenda,
  addToAgenda,
  clearOneOnOneFor,
  nextAgendas,
  pairOf,
  setOneOnOneFor,
  showOneOnOne,
} from '../../src/services/one-on-ones.ts';
import { checkinForm } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, joinAll, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

// Tuesday 8 December 2026, 05:00 in New York (the mentor's zone), 11:00 in Berlin (the mentee's).
const now = new Date('2026-12-08T10:00:00Z');
// Wednesday 10:00 in New York.
const wednesday = new Date('2026-12-09T15:00:00Z');
const weekLater = new Date('2026-12-16T15:00:00Z');

describe('one-on-one service', () => {
  let clock = now;
  const deps = { now: () => clock, rubrics: rubricFixture, metrics: createMetrics() } as Deps;
  const d = useTestDatabase(async (db) => {
    clock = now;
    await joinAll(db, [
      ['UANA', 'junior', 'Europe/Berlin'],
      ['UMIA', 'senior', 'America/New_York'],
      ['UBEN', 'senior', 'UTC'],
    ]);
    await setMentor(db, TEAM, 'UANA', 'UMIA', now);
  });
  const set = (userId: string, withId: string | null = null) =>
    setOneOnOneFor(deps, d.db, { teamId: TEAM, userId, withId, weekday: 3, minute: 600, everyWeeks: 1 });
  const stored = () =>
    d.db
      .selectFrom('one_on_ones')
      .select(['mentor_id', 'mentee_id', 'weekday', 'minute', 'anchor_week', 'created_by'])
      .execute();
  const items = () => d.db.selectFrom('agenda_items').select(['user_id', 'text', 'checkin_id']).orderBy('id').execute();
  const checkin = async (o: Partial<FormCheckin> = {}) => {
    const r = await saveFormCheckin(deps, d.db, checkinForm({ formId: `V${Math.random()}`, ...o }));
    if (r.kind !== 'saved') throw new Error(`not saved: ${r.kind}`);
    return r.checkin;
  };

  it('finds whose 1:1: the person named, or else the only one', async () => {
    expect(await pairOf(d.db, TEAM, 'UANA', null)).toEqual({
      kind: 'pair',
      mentorId: 'UMIA',
      menteeId: 'UANA',
      otherId: 'UMIA',
    });
    expect(await pairOf(d.db, TEAM, 'UMIA', null)).toEqual({
      kind: 'pair',
      mentorId: 'UMIA',
      menteeId: 'UANA',
      otherId: 'UANA',
    });
    expect(await pairOf(d.db, TEAM, 'UANA', 'UMIA')).toEqual({
      kind: 'pair',
      mentorId: 'UMIA',
      menteeId: 'UANA',
      otherId: 'UMIA',
    });
    expect(await pairOf(d.db, TEAM, 'UBEN', null)).toMatchObject({
      kind: 'no-pair',
      problem: expect.stringMatching(/neither yet/),
    });
    expect(await pairOf(d.db, TEAM, 'UBEN', 'UANA')).toEqual({
      kind: 'no-pair',
      problem: '<@UANA> is neither your mentor nor your mentee.',
    });
    await join(d.db, 'UCAT', 'junior', 'Europe/Berlin');
    await setMentor(d.db, TEAM, 'UCAT', 'UMIA', now);
    expect(await pairOf(d.db, TEAM, 'UMIA', null)).toMatchObject({
      kind: 'no-pair',
      problem: expect.stringMatching(/^Name whose/),
    });
    expect(await pairOf(d.db, TEAM, 'UMIA', 'UCAT')).toMatchObject({ kind: 'pair', menteeId: 'UCAT' });
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    expect(await pairOf(d.db, TEAM, 'UMIA', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await pairOf(d.db, TEAM, 'UANA', 'UMIA')).toMatchObject({ kind: 'no-pair' });
  });

  it('sets a pair’s 1:1 in the mentor’s zone, by either of them, one per pair; someone else sets nothing', async () => {
    expect(await set('UBEN', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await stored()).toEqual([]);
    expect(await set('UANA')).toMatchObject({
      kind: 'set',
      otherId: 'UMIA',
      next: wednesday,
      tz: 'America/New_York',
      oneOnOne: { mentorId: 'UMIA', menteeId: 'UANA', createdBy: 'UANA' },
    });
    expect(await set('UMIA', 'UANA')).toMatchObject({ kind: 'set', otherId: 'UANA', next: wednesday });
    expect(await stored()).toEqual([
      { mentor_id: 'UMIA', mentee_id: 'UANA', weekday: 3, minute: 600, anchor_week: '2026-W50', created_by: 'UMIA' },
    ]);
  });

  it('counts a fortnightly 1:1 from the week it was set in, in the mentor’s zone', async () => {
    // Sunday 23:30 in New York is already Monday (week 51) in UTC and Berlin.
    clock = new Date('2026-12-14T04:30:00Z');
    const r = await setOneOnOneFor(deps, d.db, {
      teamId: TEAM,
      userId: 'UANA',
      withId: null,
      weekday: 1,
      minute: 600,
      everyWeeks: 2,
    });
    expect(r).toMatchObject({
      kind: 'set',
      oneOnOne: { anchorWeek: '2026-W50' },
      next: new Date('2026-12-21T15:00:00Z'),
    });
  });

  it('shows and clears a pair’s 1:1 for either of them; a former mentor or someone else neither sees nor clears it', async () => {
    const show = (userId: string, withId: string | null = null) =>
      showOneOnOne(deps, d.db, { teamId: TEAM, userId, withId });
    const clear = (userId: string, withId: string | null = null) =>
      clearOneOnOneFor(d.db, { teamId: TEAM, userId, withId });
    expect(await show('UANA')).toEqual({ kind: 'none', otherId: 'UMIA' });
    await set('UANA');
    expect(await show('UANA')).toMatchObject({ kind: 'set', otherId: 'UMIA', next: wednesday, tz: 'America/New_York' });
    expect(await show('UMIA')).toMatchObject({ kind: 'set', otherId: 'UANA', next: wednesday });
    expect(await show('UBEN', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await clear('UBEN', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await stored()).toHaveLength(1);
    expect(await clear('UANA')).toEqual({ kind: 'cleared', otherId: 'UMIA' });
    expect(await clear('UANA')).toEqual({ kind: 'none', otherId: 'UMIA' });
    await set('UMIA');
    expect(await clear('UMIA', 'UANA')).toEqual({ kind: 'cleared', otherId: 'UANA' });
    await set('UMIA');
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    expect(await show('UMIA', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await clear('UMIA', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await show('UANA')).toEqual({ kind: 'none', otherId: 'UBEN' });
    expect(await stored()).toHaveLength(1);
  });

  it('adds typed text to the next 1:1 whose agenda has not gone out, by either of them', async () => {
    const add = (userId: string, text: string, withId: string | null = null) =>
      addToAgenda(deps, d.db, { teamId: TEAM, userId, withId, text });
    expect(await add('UANA', 'Career ladder')).toEqual({ kind: 'no-one-on-one', otherId: 'UMIA' });
    await set('UMIA');
    expect(await add('UANA', '   ')).toEqual({ kind: 'empty' });
    expect(await add('UANA', 'x'.repeat(501))).toEqual({ kind: 'too-long', length: 501, max: 500 });
    expect(await add('UBEN', 'Hello', 'UANA')).toMatchObject({ kind: 'no-pair' });
    expect(await items()).toEqual([]);
    expect(await add('UANA', '  Career ladder ')).toEqual({
      kind: 'added',
      otherId: 'UMIA',
      next: wednesday,
      tz: 'America/New_York',
    });
    // 500 characters, each two UTF-16 units: within the limit.
    expect(await add('UMIA', '😀'.repeat(500))).toMatchObject({ kind: 'added', otherId: 'UANA' });
    // Less than a day before Wednesday's 1:1 its agenda is out: the item waits for the next.
    clock = new Date('2026-12-08T16:00:00Z');
    expect(await add('UANA', 'Later')).toMatchObject({ kind: 'added', next: weekLater });
    expect(await items()).toEqual([
      { user_id: 'UANA', text: 'Career ladder', checkin_id: null },
      { user_id: 'UMIA', text: '😀'.repeat(500), checkin_id: null },
      { user_id: 'UANA', text: 'Later', checkin_id: null },
    ]);
  });

  it('adds the mentee’s own shared check-in once to their 1:1 with their current mentor', async () => {
    const c = await checkin();
    const add = (userId: string, checkinId = c.id, teamId = TEAM) =>
      addCheckinToAgenda(deps, d.db, { teamId, userId, checkinId });
    expect(await add('UANA')).toEqual({ kind: 'no-one-on-one', otherId: 'UMIA' });
    await set('UANA');
    expect(await add('UMIA')).toEqual({ kind: 'not-yours' });
    expect(await add('UANA', c.id, 'T0OTHER')).toEqual({ kind: 'not-yours' });
    expect(await add('UANA', 'nope')).toEqual({ kind: 'not-yours' });
    const hidden = await checkin({ isPrivate: true, text: 'Just for me' });
    expect(hidden).toMatchObject({ userId: 'UANA', private: true });
    expect(await add('UANA', hidden.id)).toEqual({ kind: 'private' });
    expect(await items()).toEqual([]);
    expect(await add('UANA')).toEqual({ kind: 'added', otherId: 'UMIA', next: wednesday, tz: 'America/New_York' });
    expect(await add('UANA')).toEqual({ kind: 'already' });
    expect(await items()).toEqual([{ user_id: 'UANA', text: null, checkin_id: c.id }]);
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    const later = await checkin({ text: 'After the change' });
    expect(await add('UANA', later.id)).toEqual({ kind: 'no-one-on-one', otherId: 'UBEN' });
    await join(d.db, 'UCAT', 'junior', 'Europe/Berlin');
    const alone = await checkin({ userId: 'UCAT' });
    expect(await add('UCAT', alone.id)).toEqual({ kind: 'no-one-on-one', otherId: null });
    expect(await items()).toHaveLength(1);
  });

  it('shows both the same agenda, with nothing of a private check-in on it; none for a mentee not joined', async () => {
    await set('UANA');
    await chooseFocus(deps, d.db, { teamId: TEAM, userId: 'UANA', competencyIds: ['junior-c1'] });
    const shared = await checkin({ text: 'Shared work' });
    await checkin({ text: 'Private work', isPrivate: true });
    const later = await checkin({ text: 'Made private later' });
    expect(await d.db.selectFrom('checkins').select(['text', 'private']).orderBy('id').execute()).toEqual([
      { text: 'Shared work', private: false },
      { text: 'Private work', private: true },
      { text: 'Made private later', private: false },
    ]);
    await addCheckinToAgenda(deps, d.db, { teamId: TEAM, userId: 'UANA', checkinId: shared.id });
    await addCheckinToAgenda(deps, d.db, { teamId: TEAM, userId: 'UANA', checkinId: later.id });
    await addToAgenda(deps, d.db, { teamId: TEAM, userId: 'UMIA', withId: null, text: 'Review plan' });
    await setCheckinPrivacy(deps, d.db, { checkinId: later.id, userId: 'UANA', isPrivate: true });
    const [agenda] = await nextAgendas(deps, d.db, TEAM, 'UANA');
    expect(agenda).toMatchObject({ mentorId: 'UMIA', menteeId: 'UANA', meeting: wednesday, tz: 'America/New_York' });
    expect(agenda!.focusCheckins.map((c) => c.text)).toEqual(['Shared work']);
    expect(agenda!.items).toEqual([
      { userId: 'UANA', text: 'Shared work', competencyId: 'junior-c1', fromCheckin: true },
      { userId: 'UMIA', text: 'Review plan', competencyId: null, fromCheckin: false },
    ]);
    expect(JSON.stringify(agenda)).not.toMatch(/Private work|Made private later/);
    expect(await nextAgendas(deps, d.db, TEAM, 'UMIA')).toEqual([agenda]);
    expect(await nextAgendas(deps, d.db, TEAM, 'UBEN')).toEqual([]);
    // A mentee assigned before joining may have a 1:1, but no agenda until they join.
    await ensurePerson(d.db, { teamId: TEAM, userId: 'UNEW', displayName: null, tz: 'UTC' }, now);
    await setMentor(d.db, TEAM, 'UNEW', 'UMIA', now);
    expect(await set('UMIA', 'UNEW')).toMatchObject({ kind: 'set', otherId: 'UNEW' });
    expect(await nextAgendas(deps, d.db, TEAM, 'UMIA')).toEqual([agenda]);
  });
});
