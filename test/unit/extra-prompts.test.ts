import { describe, expect, it } from 'vitest';
import {
  type ExtraCadence,
  MENTORING_EVERY,
  promptLabel,
  STRETCH_AFTER,
  TRAP_EVERY,
} from '../../src/growth/extra-prompts.ts';
import { previousWeek } from '../../src/growth/schedule.ts';
import { type PastNudge, type Selection, selectPrompt } from '../../src/growth/select-prompt.ts';
import type { Level } from '../../src/rubrics/schema.ts';
import { rubricFixture as rubrics } from '../support/rubric-fixture.ts';

/** `weeks` weeks of prompts from a member's first, each fed back as history (pure selection, no I/O). */
function weeks(level: Level, count: number, extras: ExtraCadence = { stretchEvery: 5, mentors: false }): Selection[] {
  const nudges: PastNudge[] = [];
  const out: Selection[] = [];
  for (let i = 0; i < count; i++) {
    const week = previousWeek('2027-W01', -i);
    const s = selectPrompt({ level, week, rubrics, nudges, checkins: [], extras });
    out.push(s);
    nudges.push({ week, competencyId: s.competency.id, promptId: s.prompt.id });
  }
  return out;
}
const at = (list: Selection[], kind: Selection['kind']) => list.flatMap((s, i) => (s.kind === kind ? [i] : []));

describe('stretch toward the next level', () => {
  it('a junior gets one prompt in five from their fifth week, each from a mid competency, labelled', () => {
    const twenty = weeks('junior', 20);
    expect(at(twenty, 'stretch')).toEqual([4, 9, 14, 19]);
    for (const s of twenty.filter((x) => x.kind === 'stretch')) {
      expect(s.competency.level).toBe('mid');
      expect(s.label).toBe('Stretch toward mid');
      expect(promptLabel(rubrics, s.prompt.id)).toBe('Stretch toward mid');
    }
    expect(at(twenty, 'stretch').every((i) => i >= STRETCH_AFTER)).toBe(true);
    // Different stretch prompts, not the same one again.
    expect(new Set(twenty.filter((x) => x.kind === 'stretch').map((s) => s.prompt.id)).size).toBe(4);
  });

  it('follows the organisation\u2019s setting: every tenth, or never (0)', () => {
    expect(at(weeks('junior', 20, { stretchEvery: 10, mentors: false }), 'stretch')).toEqual([9, 19]); // the tenth, then every tenth
    expect(at(weeks('junior', 20, { stretchEvery: 0, mentors: false }), 'stretch')).toEqual([]);
  });

  it('a staff member stretches beyond their organisation, never toward a level above', () => {
    const stretches = weeks('staff', 20).filter((s) => s.kind === 'stretch');
    expect(stretches).toHaveLength(4);
    for (const s of stretches) {
      expect(s.competency.level).toBe('staff');
      expect(s.label).toBe('Stretch beyond your organisation');
    }
  });
});

describe('traps and mentoring', () => {
  it('trap prompts arrive about once in six weeks, from the level\u2019s own trap list', () => {
    for (const level of ['junior', 'mid', 'senior', 'staff'] as const) {
      const year = weeks(level, 60, { stretchEvery: 5, mentors: true });
      const traps = at(year, 'trap');
      expect(traps.length, level).toBeGreaterThanOrEqual(Math.floor(60 / (TRAP_EVERY + 2)));
      expect(traps.length, level).toBeLessThanOrEqual(Math.ceil(60 / TRAP_EVERY));
      for (const i of traps) expect(year[i]!.prompt.id.startsWith(`trap-${level}-`)).toBe(true);
    }
  });

  it('senior and staff who mentor get a mentoring prompt about once in eight weeks; others never', () => {
    for (const level of ['senior', 'staff'] as const) {
      const n = at(weeks(level, 64, { stretchEvery: 5, mentors: true }), 'mentoring').length;
      expect(n, level).toBeGreaterThanOrEqual(Math.floor(64 / (MENTORING_EVERY + 3)));
      expect(n, level).toBeLessThanOrEqual(Math.ceil(64 / MENTORING_EVERY));
      expect(at(weeks(level, 64, { stretchEvery: 5, mentors: false }), 'mentoring'), level).toEqual([]);
    }
    expect(at(weeks('mid', 64, { stretchEvery: 5, mentors: true }), 'mentoring')).toEqual([]);
  });

  it('never starve the regular competencies: at most two extras in four weeks, every level competency each quarter, shared every fourth regular', () => {
    for (const level of ['junior', 'mid', 'senior', 'staff'] as const) {
      const year = weeks(level, 52, { stretchEvery: 2, mentors: true });
      const extra = year.map((s) => s.kind !== 'level' && s.kind !== 'shared');
      for (let i = 0; i + 4 <= 52; i++)
        expect(extra.slice(i, i + 4).filter(Boolean).length, `${level} week ${i}`).toBeLessThanOrEqual(2);
      for (let q = 0; q + 13 <= 52; q += 13) {
        const touched = new Set(
          year
            .slice(q, q + 13)
            .filter((s) => s.kind === 'level')
            .map((s) => s.competency.id),
        );
        expect(touched.size, `${level} quarter ${q / 13}`).toBe(rubrics.levels[level].competencies.length);
      }
      const regular = year.filter((s) => s.kind === 'level' || s.kind === 'shared');
      expect(regular.filter((s) => s.kind === 'shared').length, level).toBe(Math.floor(regular.length / 4));
    }
  });
});
