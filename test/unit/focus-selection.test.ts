import { describe, expect, it } from 'vitest';
import { previousWeek } from '../../src/growth/schedule.ts';
import { FOCUS_RUN, type PastNudge, type Selection, selectPrompt } from '../../src/growth/select-prompt.ts';
import type { Level } from '../../src/rubrics/schema.ts';
import { rubricFixture as rubrics } from '../support/rubric-fixture.ts';

const START = '2026-W01';

/** `weeks` weeks from START, each selection fed back as a nudge, with this focus (and extras if asked). */
function run(level: Level, weeks: number, focus: string[], extras = false): Selection[] {
  const nudges: PastNudge[] = [];
  const out: Selection[] = [];
  for (let i = 0; i < weeks; i++) {
    const week = previousWeek(START, -i);
    const s = selectPrompt({
      level,
      week,
      rubrics,
      nudges,
      checkins: [],
      focus,
      ...(extras ? { extras: { stretchEvery: 6, mentors: false } } : {}),
    });
    out.push(s);
    nudges.push({ week, competencyId: s.competency.id, promptId: s.prompt.id });
  }
  return out;
}

describe('focus-weighted prompt selection over 26 weeks', () => {
  const focus = ['mid-c2', 'senior-c1'];
  const weeks = run('mid', 26, focus);
  const onFocus = weeks.map((s) => focus.includes(s.competency.id));

  it('gives about two weeks in three to the focus', () => {
    const n = onFocus.filter(Boolean).length;
    expect(n).toBeGreaterThanOrEqual(17);
    expect(n).toBeLessThanOrEqual(18);
  });

  it('never gives the focus more than two weeks in a row, nor the rest two in a row', () => {
    const pattern = onFocus.map((f) => (f ? 'F' : 'r')).join('');
    expect(pattern).not.toContain('F'.repeat(FOCUS_RUN + 1));
    expect(pattern).not.toContain('rr');
  });

  it('shares the focus weeks between the focus competencies, the next level included', () => {
    const count = (id: string) => weeks.filter((s) => s.competency.id === id).length;
    expect(Math.abs(count('mid-c2') - count('senior-c1'))).toBeLessThanOrEqual(1);
    expect(weeks.find((s) => s.competency.id === 'senior-c1')?.prompt.id).toBe('senior-c1-p1');
  });

  it('never starves the rest: every other competency of the level and the shared rubric comes up', () => {
    const others = new Set(weeks.filter((s) => !focus.includes(s.competency.id)).map((s) => s.competency.id));
    expect([...others].sort()).toEqual(['mid-c1', 'mid-c3', 'shared-c1', 'shared-c2', 'shared-c3']);
  });

  it('without a focus, the same weeks go round every competency as before', () => {
    const plain = run('mid', 26, []);
    expect(plain.filter((s) => s.competency.id === 'mid-c2').length).toBeLessThan(8);
  });

  it('ignores a focus outside the level and the next, and keeps extras on their own cadence', () => {
    const outside = run('mid', 12, ['staff-c1']);
    expect(outside.some((s) => s.competency.id === 'staff-c1')).toBe(false);
    const withExtras = run('mid', 26, ['mid-c2'], true);
    expect(withExtras.some((s) => s.kind === 'stretch')).toBe(true);
    const regular = withExtras.filter((s) => s.kind === 'level' || s.kind === 'shared');
    const share = regular.filter((s) => s.competency.id === 'mid-c2').length / regular.length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.72);
  });
});
