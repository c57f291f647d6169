import { beforeAll, describe, expect, it } from 'vitest';
import { pickOncallPrompt } from '../../src/growth/oncall.ts';
import { previousWeek } from '../../src/growth/schedule.ts';
import { type PastNudge, selectPrompt } from '../../src/growth/select-prompt.ts';
import { oncallPrompts } from '../../src/rubrics/extras.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import type { Level, Rubrics } from '../../src/rubrics/schema.ts';
import { NEAR_DUPLICATE, overlap, rarity } from '../support/near-duplicates.ts';
import { allPrompts } from '../support/rubric-prompts.ts';

let shipped: Rubrics;
beforeAll(async () => {
  shipped = await loadRubrics('rubrics');
});

interface Received {
  week: string;
  id: string;
  text: string;
  kind: string;
}

/**
 * Half a year of one member's weekly prompts as the weekly job picks them: an on-call prompt in
 * weeks they are on call (every fourth here), otherwise `selectPrompt` with stretch, trap and
 * mentoring prompts on. They move up a level half-way, keeping their history; they never answer.
 */
function followFor26Weeks(r: Rubrics, from: Level, to: Level): Received[] {
  const nudges: PastNudge[] = [];
  const out: Received[] = [];
  for (let i = 0; i < 26; i++) {
    const week = previousWeek('2027-W02', -i);
    const level = i < 13 ? from : to;
    const oncall = i % 4 === 3 ? pickOncallPrompt(oncallPrompts(r, level), nudges) : undefined;
    const pick = oncall
      ? { competency: oncall.competency, prompt: oncall, kind: 'oncall' }
      : selectPrompt({ level, week, rubrics: r, nudges, checkins: [], extras: { stretchEvery: 5, mentors: true } });
    out.push({ week, id: pick.prompt.id, text: pick.prompt.text, kind: pick.kind });
    nudges.push({ week, competencyId: pick.competency.id, promptId: pick.prompt.id });
  }
  return out;
}

/** Every pair of prompts this member received that the near-duplicate check pairs. */
function alikePairs(r: Rubrics, got: readonly Received[]): string[] {
  const weight = rarity(allPrompts(r).map((p) => p.text));
  const pairs: string[] = [];
  for (let i = 0; i < got.length; i++) {
    for (let j = i + 1; j < got.length; j++) {
      const a = got[i]!;
      const b = got[j]!;
      if (a.id !== b.id && overlap(a.text, b.text, weight) >= NEAR_DUPLICATE) pairs.push(`${a.id} / ${b.id}`);
    }
  }
  return pairs;
}

const PATHS: [Level, Level][] = [
  ['junior', 'junior'],
  ['junior', 'mid'],
  ['mid', 'senior'],
  ['senior', 'staff'],
  ['staff', 'staff'],
];

describe('one member followed for 26 weeks', () => {
  it.each(PATHS)('from %s to %s: never two prompts that are too alike', (from, to) => {
    const got = followFor26Weeks(shipped, from, to);
    // Every kind of prompt reaches them, and half a year of different prompts (no repeats yet).
    const kinds = new Set(got.map((g) => g.kind));
    for (const kind of ['level', 'shared', 'stretch', 'trap', 'oncall']) expect(kinds, kind).toContain(kind);
    if (from === 'senior' || from === 'staff') expect(kinds).toContain('mentoring');
    expect(new Set(got.map((g) => g.id)).size).toBe(26);
    expect(alikePairs(shipped, got)).toEqual([]);
  });

  it('would catch a prompt that repeats one received earlier in other words', () => {
    const got = followFor26Weeks(shipped, 'junior', 'mid');
    const early = got[1]!;
    const late = got.findLast((g) => g.kind === 'level')!;
    // The same rubric with the late prompt reworded into a near copy of the early one.
    const r: Rubrics = structuredClone(shipped);
    const reworded = early.text.replace(/\bthis week\b/, 'in the coming days').replace(/^(\w+)/, 'Please $1');
    for (const file of [...Object.values(r.levels), r.shared]) {
      for (const c of file.competencies) for (const p of c.prompts) if (p.id === late.id) p.text = reworded;
    }
    for (const c of r.byId.values()) for (const p of c.prompts) if (p.id === late.id) p.text = reworded;
    const again = followFor26Weeks(r, 'junior', 'mid');
    expect(again.map((g) => g.id)).toEqual(got.map((g) => g.id));
    expect(alikePairs(r, again)).toContain(`${early.id} / ${late.id}`);
  });
});
