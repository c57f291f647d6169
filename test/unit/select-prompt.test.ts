import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previousWeek, weekIndex } from '../../src/growth/schedule.ts';
import {
  type PastCheckin,
  type PastNudge,
  type Selection,
  SHARED_EVERY,
  selectPrompt,
} from '../../src/growth/select-prompt.ts';
import { LEVELS, type Level, type Rubrics } from '../../src/rubrics/schema.ts';
import { buildRubricFixture, rubricFixture } from '../support/rubric-fixture.ts';

const rubrics = rubricFixture;
const WEEK = '2026-W10';

/** A check-in on Wednesday noon UTC of `week`. */
function dayOf(week: string): Date {
  const monday = Date.UTC(1969, 11, 29) + weekIndex(week) * 7 * 86_400_000;
  return new Date(monday + 2.5 * 86_400_000);
}

function nudge(week: string, promptId: string): PastNudge {
  return { week, competencyId: promptId.replace(/-p\d+$/, ''), promptId };
}

function pick(level: Level, week: string, nudges: PastNudge[] = [], checkins: PastCheckin[] = []): Selection {
  return selectPrompt({ level, week, rubrics, nudges, checkins });
}

/** Run `weeks` consecutive weeks from `start`, feeding each selection back as a nudge (the member never answers). */
function simulate(
  level: Level,
  start: string,
  weeks: number,
  history: PastNudge[] = [],
  checkins: PastCheckin[] = [],
  r: Rubrics = rubrics,
): Selection[] {
  const nudges = [...history];
  const out: Selection[] = [];
  for (let i = 0; i < weeks; i++) {
    const week = previousWeek(start, -i);
    const s = selectPrompt({ level, week, rubrics: r, nudges, checkins });
    out.push(s);
    nudges.push({ week, competencyId: s.competency.id, promptId: s.prompt.id });
  }
  return out;
}

describe('rubric fixture', () => {
  it('has 4 levels × 3 competencies × 6 prompts and a shared 3 × 6', () => {
    for (const level of LEVELS) {
      expect(rubrics.levels[level].competencies).toHaveLength(3);
      for (const c of rubrics.levels[level].competencies) expect(c.prompts).toHaveLength(6);
    }
    expect(rubrics.shared.competencies).toHaveLength(3);
    expect(rubrics.byId.size).toBe(15);
    expect(rubrics.byId.get('mid-c2')?.level).toBe('mid');
    expect(rubrics.byId.get('shared-c3')?.level).toBe('shared');
  });
});

describe('selectPrompt examples', () => {
  it('a brand-new member starts with the first level prompt', () => {
    const s = pick('junior', WEEK);
    expect(s.shared).toBe(false);
    expect(s.competency.id).toBe('junior-c1');
    expect(s.competency.level).toBe('junior');
    expect(s.prompt.id).toBe('junior-c1-p1');
  });

  it('a never-practised competency comes first', () => {
    const s = pick('junior', WEEK, [nudge('2026-W08', 'junior-c1-p1'), nudge('2026-W09', 'junior-c3-p1')]);
    expect(s.competency.id).toBe('junior-c2');
    expect(s.prompt.id).toBe('junior-c2-p1');
  });

  it('otherwise the least recently touched, where a check-in also touches', () => {
    // One level prompt since the last shared one, so this week is a level week.
    const nudges = [
      nudge('2026-W05', 'mid-c1-p1'),
      nudge('2026-W06', 'mid-c2-p1'),
      nudge('2026-W07', 'shared-c1-p1'),
      nudge('2026-W08', 'mid-c3-p1'),
    ];
    expect(pick('mid', '2026-W11', nudges).competency.id).toBe('mid-c1');
    // An unprompted check-in on mid-c1 in W09 makes mid-c2 the least recently touched.
    const checkins = [{ competencyId: 'mid-c1', at: dayOf('2026-W09'), rating: 3 }];
    expect(pick('mid', '2026-W11', nudges, checkins).competency.id).toBe('mid-c2');
  });

  it('the lowest latest self-rating breaks a tie (no rating counts as lowest), then rubric order', () => {
    const w = '2026-W09';
    const checkins = (r1: number | null, r2: number | null, r3: number | null): PastCheckin[] => [
      { competencyId: 'senior-c1', at: dayOf(w), rating: r1 },
      { competencyId: 'senior-c2', at: dayOf(w), rating: r2 },
      { competencyId: 'senior-c3', at: dayOf(w), rating: r3 },
    ];
    expect(pick('senior', WEEK, [], checkins(3, 1, 2)).competency.id).toBe('senior-c2');
    expect(pick('senior', WEEK, [], checkins(3, 4, 2)).competency.id).toBe('senior-c3');
    expect(pick('senior', WEEK, [], checkins(3, null, 1)).competency.id).toBe('senior-c2');
    expect(pick('senior', WEEK, [], checkins(2, 2, 2)).competency.id).toBe('senior-c1');
    // "Latest" rating: an older low rating is superseded by a newer high one.
    const older = [...checkins(3, 3, 3), { competencyId: 'senior-c1', at: dayOf('2026-W05'), rating: 1 }];
    expect(pick('senior', WEEK, [], older).competency.id).toBe('senior-c1');
    const newerHigh = [
      { competencyId: 'senior-c1', at: dayOf('2026-W05'), rating: 1 },
      { competencyId: 'senior-c1', at: new Date(dayOf(w).getTime() + 1000), rating: 4 },
      { competencyId: 'senior-c2', at: dayOf(w), rating: 3 },
      { competencyId: 'senior-c3', at: dayOf(w), rating: 3 },
    ];
    expect(pick('senior', WEEK, [], newerHigh).competency.id).toBe('senior-c2');
  });

  it('every 4th prompt is shared', () => {
    expect(SHARED_EVERY).toBe(4);
    const flags = simulate('staff', WEEK, 12).map((s) => s.shared);
    expect(flags).toEqual([false, false, false, true, false, false, false, true, false, false, false, true]);
    const three = [
      nudge('2026-W07', 'staff-c1-p1'),
      nudge('2026-W08', 'staff-c2-p1'),
      nudge('2026-W09', 'staff-c3-p1'),
    ];
    const s = pick('staff', WEEK, three);
    expect(s.shared).toBe(true);
    expect(s.competency.id).toBe('shared-c1');
    expect(s.competency.level).toBe('shared');
    expect(s.prompt.id).toBe('shared-c1-p1');
    // A shared nudge resets the count.
    expect(pick('staff', WEEK, [...three, nudge('2026-W06', 'shared-c1-p1')]).shared).toBe(true);
    expect(pick('staff', WEEK, [...three.slice(1), nudge('2026-W07', 'shared-c1-p1')]).shared).toBe(false);
  });

  it('prompts go in rubric order, then start over from the least recently had', () => {
    // c2 and c3 touched recently, a shared prompt last week: a level week for junior-c1.
    const base = [
      nudge('2026-W08', 'junior-c2-p1'),
      nudge('2026-W08', 'junior-c3-p1'),
      nudge('2026-W09', 'shared-c1-p1'),
    ];
    const had = ['p1', 'p2', 'p4'].map((p, i) => nudge(`2026-W0${i + 1}`, `junior-c1-${p}`));
    expect(pick('junior', WEEK, [...base, ...had]).prompt.id).toBe('junior-c1-p3');
    const all = ['p3', 'p1', 'p6', 'p2', 'p5', 'p4'].map((p, i) => nudge(`2026-W0${i + 1}`, `junior-c1-${p}`));
    expect(pick('junior', WEEK, [...base, ...all]).prompt.id).toBe('junior-c1-p3');
    const again = [...all, nudge('2026-W07', 'junior-c1-p3')];
    const later = [
      nudge('2026-W09', 'junior-c2-p2'),
      nudge('2026-W09', 'junior-c3-p2'),
      nudge('2026-W10', 'shared-c2-p1'),
    ];
    expect(pick('junior', '2026-W11', [...later, ...again]).prompt.id).toBe('junior-c1-p1');
  });

  it('a member who moved up starts fresh at the new level but keeps shared history', () => {
    const juniorYear = simulate('junior', '2025-W10', 30);
    const history = juniorYear.map((s, i) => ({
      week: previousWeek('2025-W10', -i),
      competencyId: s.competency.id,
      promptId: s.prompt.id,
    }));
    const mid = simulate('mid', previousWeek('2025-W10', -30), 4, history);
    expect(mid.map((s) => `${s.competency.id}/${s.prompt.id}`)).toEqual([
      'mid-c1/mid-c1-p1',
      'mid-c2/mid-c2-p1',
      'mid-c3/mid-c3-p1',
      // Shared continues where the junior weeks left it (7 shared prompts so far: c1, c2, c3, c1, …).
      expect.stringMatching(/^shared-c\d\/shared-c\d-p3$/),
    ]);
    expect(mid[3]?.shared).toBe(true);
  });

  it('ignores competencies and prompts that are no longer in the rubrics', () => {
    const gone = [nudge('2026-W07', 'gone-c1-p1'), nudge('2026-W08', 'gone-c2-p1'), nudge('2026-W09', 'gone-c3-p1')];
    const checkins = [{ competencyId: 'gone-c1', at: dayOf('2026-W09'), rating: 1 }];
    expect(pick('junior', WEEK, gone, checkins)).toEqual(pick('junior', WEEK));
    // A removed prompt id of a live competency does not count as "had".
    const withRemovedPrompt = [
      nudge('2026-W05', 'junior-c1-p99'),
      nudge('2026-W07', 'shared-c1-p1'),
      nudge('2026-W08', 'junior-c2-p1'),
      nudge('2026-W09', 'junior-c3-p1'),
    ];
    expect(pick('junior', WEEK, withRemovedPrompt).prompt.id).toBe('junior-c1-p1');
  });

  it('ignores nudges of this week and later, so recomputing a week gives the same answer', () => {
    const first = pick('mid', WEEK);
    const again = pick('mid', WEEK, [{ week: WEEK, competencyId: first.competency.id, promptId: first.prompt.id }]);
    expect(again).toEqual(first);
  });

  it('throws on a malformed week', () => {
    expect(() => pick('mid', '2026-10')).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const START = weekIndex('2025-W01');
const END = weekIndex('2028-W52');
const weekArb = fc.integer({ min: START, max: END }).map((i) => previousWeek('1970-W01', -i));
const levelArb = fc.constantFrom(...LEVELS);
const ALL_IDS = [...rubrics.byId.keys(), 'gone-c1', 'gone-c2'];

/** A random history strictly before `week` (nudges up to 80 weeks back, check-ins before its Monday). */
function historyArb(week: string, options: { future?: boolean } = {}) {
  const maxBack = options.future ? -10 : 1;
  const nudgeArb = fc
    .record({
      back: fc.integer({ min: maxBack, max: 80 }),
      competencyId: fc.constantFrom(...ALL_IDS),
      p: fc.integer({ min: 1, max: 7 }), // p7 does not exist
    })
    .map(({ back, competencyId, p }) => ({
      week: previousWeek(week, back === 0 ? 1 : back),
      competencyId,
      promptId: `${competencyId}-p${p}`,
    }));
  const checkinArb = fc
    .record({
      back: fc.integer({ min: 1, max: 80 * 7 * 24 }),
      competencyId: fc.constantFrom(...ALL_IDS),
      rating: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    })
    .map(({ back, competencyId, rating }) => ({
      competencyId,
      rating,
      // Hours before the Monday 00:00 UTC that starts `week`.
      at: new Date(Date.UTC(1969, 11, 29) + weekIndex(week) * 7 * 86_400_000 - back * 3_600_000),
    }));
  return fc.record({
    nudges: fc.array(nudgeArb, { maxLength: 60 }),
    checkins: fc.array(checkinArb, { maxLength: 30 }),
  });
}

const scenarioArb = (options: { future?: boolean } = {}) =>
  fc.tuple(levelArb, weekArb).chain(([level, week]) => historyArb(week, options).map((h) => ({ level, week, ...h })));

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('selectPrompt properties', () => {
  it('never picks a prompt from another level, nor a shared one unless shared is set', () => {
    fc.assert(
      fc.property(scenarioArb({ future: true }), ({ level, week, nudges, checkins }) => {
        const s = selectPrompt({ level, week, rubrics, nudges, checkins });
        const file = s.shared ? rubrics.shared : rubrics.levels[level];
        expect(file.competencies.map((c) => c.id)).toContain(s.competency.id);
        expect(s.competency.level).toBe(s.shared ? 'shared' : level);
        expect(s.competency.prompts.map((p) => p.id)).toContain(s.prompt.id);
        expect(s.prompt.id.startsWith(`${s.competency.id}-p`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('only repeats a prompt of a competency once all its prompts have been had', () => {
    fc.assert(
      fc.property(scenarioArb({ future: true }), ({ level, week, nudges, checkins }) => {
        const s = selectPrompt({ level, week, rubrics, nudges, checkins });
        const had = new Set(
          nudges
            .filter((n) => n.competencyId === s.competency.id && weekIndex(n.week) < weekIndex(week))
            .map((n) => n.promptId),
        );
        if (had.has(s.prompt.id)) {
          for (const p of s.competency.prompts) expect(had.has(p.id)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('in a long run, any 6 consecutive prompts of one competency are all different', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ level, week, nudges, checkins }) => {
        const run = simulate(level, week, 80, nudges, checkins);
        const byCompetency = new Map<string, string[]>();
        for (const s of run) {
          const list = byCompetency.get(s.competency.id) ?? [];
          list.push(s.prompt.id);
          byCompetency.set(s.competency.id, list);
        }
        for (const list of byCompetency.values()) {
          for (let i = 0; i + 6 <= list.length; i++) expect(new Set(list.slice(i, i + 6)).size).toBe(6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reaches every level and shared competency within 12 weeks when the member never answers', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ level, week, nudges, checkins }) => {
        const run = simulate(level, week, 12, nudges, checkins);
        const reached = new Set(run.map((s) => s.competency.id));
        for (const c of [...rubrics.levels[level].competencies, ...rubrics.shared.competencies]) {
          expect(reached).toContain(c.id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the shared cadence: never two shared in a row, never SHARED_EVERY level prompts in a row', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ level, week, nudges, checkins }) => {
        const flags = simulate(level, week, 24, nudges, checkins)
          .map((s) => (s.shared ? 'S' : 'L'))
          .join('');
        expect(flags).not.toContain('SS');
        expect(flags).not.toContain('L'.repeat(SHARED_EVERY));
        expect(flags.slice(flags.indexOf('S'))).toMatch(/^(SLLL)+(S?L{0,3})$/);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and independent of the order of the history', () => {
    fc.assert(
      fc.property(scenarioArb({ future: true }), fc.integer(), ({ level, week, nudges, checkins }, seed) => {
        const a = selectPrompt({ level, week, rubrics, nudges, checkins });
        const b = selectPrompt({
          level,
          week,
          rubrics,
          nudges: nudges.map((n) => ({ ...n })),
          checkins: checkins.map((c) => ({ ...c, at: new Date(c.at.getTime()) })),
        });
        const c = selectPrompt({
          level,
          week,
          rubrics,
          nudges: shuffle(nudges, seed),
          checkins: shuffle(checkins, seed + 1),
        });
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('works with other rubric sizes (more competencies than fit in 12 weeks still rotate fairly)', () => {
    const big = buildRubricFixture({ competencies: 5, sharedCompetencies: 2, prompts: 7 });
    const run = simulate('senior', WEEK, 40, [], [], big);
    const counts = new Map<string, number>();
    for (const s of run) counts.set(s.competency.id, (counts.get(s.competency.id) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(
      ['senior-c1', 'senior-c2', 'senior-c3', 'senior-c4', 'senior-c5', 'shared-c1', 'shared-c2'].sort(),
    );
    for (let i = 1; i <= 5; i++) expect(counts.get(`senior-c${i}`)).toBe(6); // 30 level weeks / 5
    for (let i = 1; i <= 2; i++) expect(counts.get(`shared-c${i}`)).toBe(5); // 10 shared weeks / 2
  });
});
