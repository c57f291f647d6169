import { describe, expect, it } from 'vitest';
import { ensurePerson } from '../../src/db/members.ts';
import { setMentor } from '../../src/db/mentorships.ts';
import type { Deps } from '../../src/deps.ts';
import {
  agreeWithFocus,
  answerFocusSuggestion,
  chooseFocus,
  focusForm,
  suggestFocusFor,
} from '../../src/services/focus.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAll, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

// Tuesday 8 December 2026: 2026-Q4 everywhere.
const now = new Date('2026-12-08T10:00:00Z');

describe('focus service', () => {
  let clock = now;
  const deps = { now: () => clock, rubrics: rubricFixture } as Deps;
  const d = useTestDatabase(async (db) => {
    clock = now;
    await joinAll(db, [
      ['UANA', 'junior', 'Europe/Berlin'],
      ['UMIA', 'senior', 'Europe/Berlin'],
      ['UBEN', 'senior', 'UTC'],
    ]);
    await setMentor(db, TEAM, 'UANA', 'UMIA', now);
  });
  const stored = () =>
    d.db
      .selectFrom('focus_areas')
      .select(['user_id', 'quarter', 'competency_ids', 'status', 'suggested_ids', 'mentor_id'])
      .orderBy('id')
      .execute();
  const choose = async (userId = 'UANA', competencyIds = ['junior-c2', 'shared-c1']) => {
    const r = await chooseFocus(deps, d.db, { teamId: TEAM, userId, competencyIds });
    if (r.kind !== 'saved') throw new Error(`not saved: ${r.kind}`);
    return r.focus;
  };

  it('offers the member their level, the shared competencies and the next level, with their choice so far', async () => {
    const form = await focusForm(deps, d.db, TEAM, 'UANA');
    expect(form).toMatchObject({ kind: 'form', initial: [], quarter: '2026-Q4' });
    if (form.kind !== 'form') throw new Error(form.kind);
    expect(form.choices.map((c) => c.id)).toEqual([
      'junior-c1',
      'junior-c2',
      'junior-c3',
      'shared-c1',
      'shared-c2',
      'shared-c3',
      'mid-c1',
      'mid-c2',
      'mid-c3',
    ]);
    await choose();
    expect(await focusForm(deps, d.db, TEAM, 'UANA')).toMatchObject({ initial: ['junior-c2', 'shared-c1'] });
    expect(await focusForm(deps, d.db, TEAM, 'UNEW')).toEqual({ kind: 'not-joined' });
    // 23:30 on 31 December in UTC is already 2027 in Berlin.
    clock = new Date('2026-12-31T23:30:00Z');
    expect(await focusForm(deps, d.db, TEAM, 'UANA')).toMatchObject({ initial: [], quarter: '2027-Q1' });
    expect(await focusForm(deps, d.db, TEAM, 'UBEN')).toMatchObject({ quarter: '2026-Q4' });
  });

  it('offers the suggestion form to the current mentor only, starting from their suggestion', async () => {
    await choose();
    expect(await focusForm(deps, d.db, TEAM, 'UANA', 'UMIA')).toMatchObject({
      kind: 'form',
      initial: ['junior-c2', 'shared-c1'],
    });
    expect(await focusForm(deps, d.db, TEAM, 'UANA', 'UBEN')).toEqual({ kind: 'not-mentor' });
    expect(await focusForm(deps, d.db, TEAM, 'UNEW', 'UMIA')).toEqual({ kind: 'not-mentor' });
    await suggestFocusFor(deps, d.db, { teamId: TEAM, mentorId: 'UMIA', menteeId: 'UANA', competencyIds: ['mid-c1'] });
    expect(await focusForm(deps, d.db, TEAM, 'UANA', 'UMIA')).toMatchObject({ initial: ['mid-c1'] });
    expect(await focusForm(deps, d.db, TEAM, 'UANA')).toMatchObject({ initial: ['junior-c2', 'shared-c1'] });
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    expect(await focusForm(deps, d.db, TEAM, 'UANA', 'UMIA')).toEqual({ kind: 'not-mentor' });
    expect(await focusForm(deps, d.db, TEAM, 'UANA', 'UBEN')).toMatchObject({ kind: 'form' });
  });

  it('saves a choice for the member’s own quarter, in their zone, naming their mentor', async () => {
    expect(
      await chooseFocus(deps, d.db, { teamId: TEAM, userId: 'UANA', competencyIds: ['mid-c3', 'junior-c1'] }),
    ).toMatchObject({
      kind: 'saved',
      mentorId: 'UMIA',
      focus: { userId: 'UANA', quarter: '2026-Q4', competencyIds: ['junior-c1', 'mid-c3'], status: 'chosen' },
    });
    // 23:30 on 31 December in UTC is already 2027 in Berlin.
    clock = new Date('2026-12-31T23:30:00Z');
    expect(await chooseFocus(deps, d.db, { teamId: TEAM, userId: 'UBEN', competencyIds: ['staff-c1'] })).toMatchObject({
      kind: 'saved',
      mentorId: null,
      focus: { quarter: '2026-Q4' },
    });
    expect(await choose()).toMatchObject({ quarter: '2027-Q1' });
    expect((await stored()).map((f) => [f.user_id, f.quarter])).toEqual([
      ['UANA', '2026-Q4'],
      ['UBEN', '2026-Q4'],
      ['UANA', '2027-Q1'],
    ]);
  });

  it('refuses none, more than three, or a competency outside the member’s choices, storing nothing', async () => {
    const tryChoose = (competencyIds: string[], userId = 'UANA') =>
      chooseFocus(deps, d.db, { teamId: TEAM, userId, competencyIds });
    expect(await tryChoose([])).toEqual({ kind: 'invalid', problem: 'Choose at least one competency.' });
    expect(await tryChoose(['junior-c1', 'junior-c2', 'junior-c3', 'shared-c1'])).toEqual({
      kind: 'invalid',
      problem: 'Choose at most 3 competencies.',
    });
    for (const outside of ['senior-c1', 'staff-c2', 'nope'])
      expect(await tryChoose(['junior-c1', outside])).toEqual({
        kind: 'invalid',
        problem: 'Choose from your level, the shared competencies and the next level.',
      });
    expect(await tryChoose(['junior-c1'], 'UNEW')).toEqual({ kind: 'not-joined' });
    expect(await stored()).toEqual([]);
    expect(await tryChoose(['junior-c1', 'junior-c1', 'shared-c3', 'mid-c2'])).toMatchObject({
      kind: 'saved',
      focus: { competencyIds: ['junior-c1', 'shared-c3', 'mid-c2'] },
    });
  });

  it('lets the current mentor agree once; anyone else, a former mentor or another team agrees to nothing', async () => {
    const f = await choose();
    const button = `${f.id}:junior-c2,shared-c1`;
    const agree = (mentorId: string, focus = button, teamId = TEAM) =>
      agreeWithFocus(deps, d.db, { teamId, mentorId, focus });
    expect(await agree('UBEN')).toEqual({ kind: 'not-mentor' });
    expect(await agree('UANA')).toEqual({ kind: 'not-mentor' });
    expect(await agree('UMIA', button, 'T0OTHER')).toEqual({ kind: 'not-mentor' });
    expect(await agree('UMIA', '999999')).toEqual({ kind: 'not-mentor' });
    expect(await stored()).toMatchObject([{ status: 'chosen', mentor_id: null }]);
    expect(await agree('UMIA')).toMatchObject({
      kind: 'done',
      focus: { id: f.id, status: 'agreed', mentorId: 'UMIA' },
    });
    expect(await agree('UMIA')).toEqual({ kind: 'unchanged' });
    expect(await stored()).toMatchObject([{ status: 'agreed', mentor_id: 'UMIA' }]);
    await choose();
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    expect(await agree('UMIA')).toEqual({ kind: 'not-mentor' });
    expect(await stored()).toMatchObject([{ status: 'chosen', mentor_id: null }]);
    expect(await agree('UBEN')).toMatchObject({ kind: 'done', focus: { mentorId: 'UBEN' } });
  });

  it('an Agree sent for an earlier choice agrees to nothing; a button of the id alone agrees to the choice as it is', async () => {
    const f = await choose();
    await choose('UANA', ['junior-c3']);
    const agree = (focus: string) => agreeWithFocus(deps, d.db, { teamId: TEAM, mentorId: 'UMIA', focus });
    expect(await agree(`${f.id}:junior-c2,shared-c1`)).toEqual({ kind: 'changed' });
    expect(await stored()).toMatchObject([{ status: 'chosen' }]);
    expect(await agree(f.id)).toMatchObject({
      kind: 'done',
      focus: { competencyIds: ['junior-c3'], status: 'agreed' },
    });
  });

  it('lets the current mentor suggest a focus from their mentee’s choices, keeping the mentee’s own', async () => {
    await choose();
    const suggest = (mentorId: string, competencyIds: string[], menteeId = 'UANA') =>
      suggestFocusFor(deps, d.db, { teamId: TEAM, mentorId, menteeId, competencyIds });
    expect(await suggest('UBEN', ['mid-c1'])).toEqual({ kind: 'not-mentor' });
    expect(await suggest('UMIA', ['mid-c1'], 'UNEW')).toEqual({ kind: 'not-mentor' });
    // Assigned by an admin before joining: nothing to suggest for yet.
    await ensurePerson(d.db, { teamId: TEAM, userId: 'UNEW', displayName: null, tz: 'UTC' }, now);
    await setMentor(d.db, TEAM, 'UNEW', 'UMIA', now);
    expect(await suggest('UMIA', ['mid-c1'], 'UNEW')).toEqual({ kind: 'not-mentor' });
    expect(await suggest('UMIA', ['senior-c1'])).toMatchObject({ kind: 'invalid' });
    expect(await suggest('UMIA', ['junior-c1', 'junior-c2', 'junior-c3', 'mid-c1'])).toMatchObject({ kind: 'invalid' });
    expect(await stored()).toMatchObject([{ status: 'chosen', suggested_ids: null }]);
    expect(await suggest('UMIA', ['mid-c1', 'junior-c1'])).toMatchObject({
      kind: 'done',
      focus: { competencyIds: ['junior-c2', 'shared-c1'], suggestedIds: ['junior-c1', 'mid-c1'], status: 'suggested' },
    });
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    expect(await suggest('UMIA', ['mid-c2'])).toEqual({ kind: 'not-mentor' });
    expect(await stored()).toMatchObject([{ suggested_ids: ['junior-c1', 'mid-c1'], mentor_id: 'UMIA' }]);
  });

  it('lets the member take or keep a suggestion on their own focus, once, while its mentor is still theirs', async () => {
    const f = await choose();
    const suggest = () =>
      suggestFocusFor(deps, d.db, { teamId: TEAM, mentorId: 'UMIA', menteeId: 'UANA', competencyIds: ['mid-c1'] });
    const answer = (userId: string, accept: boolean, teamId = TEAM) =>
      answerFocusSuggestion(deps, d.db, { teamId, userId, focusId: f.id, accept });
    await suggest();
    expect(await answer('UMIA', true)).toEqual({ kind: 'unchanged' });
    expect(await answer('UANA', true, 'T0OTHER')).toEqual({ kind: 'unchanged' });
    expect(await stored()).toMatchObject([{ status: 'suggested' }]);
    expect(await answer('UANA', true)).toMatchObject({
      kind: 'done',
      focus: { competencyIds: ['mid-c1'], status: 'agreed' },
    });
    expect(await answer('UANA', false)).toEqual({ kind: 'unchanged' });
    await suggest();
    expect(await answer('UANA', false)).toMatchObject({
      kind: 'done',
      focus: { competencyIds: ['mid-c1'], status: 'kept' },
    });
    await suggest();
    await setMentor(d.db, TEAM, 'UANA', 'UBEN', now);
    expect(await answer('UANA', true)).toEqual({ kind: 'lapsed' });
    expect(await stored()).toMatchObject([{ competency_ids: ['mid-c1'], status: 'suggested' }]);
  });
});
