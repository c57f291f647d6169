import { beforeAll, describe, expect, it } from 'vitest';
import { checkinCompetencies, competenciesFor, nextLevel, stretchCompetencies } from '../../src/growth/competencies.ts';
import { journalMarkdown } from '../../src/growth/journal.ts';
import { progressOf } from '../../src/growth/progress.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS, type Rubrics } from '../../src/rubrics/schema.ts';

let rubrics: Rubrics;
beforeAll(async () => {
  rubrics = await loadRubrics('rubrics');
});

const ids = (cs: readonly { id: string }[]) => cs.map((c) => c.id);
const SHARED = ['writing-clearly', 'staying-current', 'customer-empathy'];

describe('competencies offered to a level', () => {
  it('a junior practises the junior ones then the shared ones, and may check in on the mid ones as stretch goals', () => {
    expect(ids(competenciesFor(rubrics, 'junior'))).toEqual([
      'incident-response',
      'observability',
      'automation-basics',
      'security-basics',
      ...SHARED,
    ]);
    expect(ids(stretchCompetencies(rubrics, 'junior'))).toEqual(ids(rubrics.levels.mid.competencies));
    expect(ids(checkinCompetencies(rubrics, 'junior'))).toEqual([
      ...ids(competenciesFor(rubrics, 'junior')),
      ...ids(rubrics.levels.mid.competencies),
    ]);
  });

  it('the top level has no stretch goals: a check-in is offered only what they practise', () => {
    expect(nextLevel('staff')).toBeNull();
    expect(stretchCompetencies(rubrics, 'staff')).toEqual([]);
    expect(ids(checkinCompetencies(rubrics, 'staff'))).toEqual(ids(competenciesFor(rubrics, 'staff')));
  });

  it('progress coverage and readiness, and the journal, list the same competencies as the rule', () => {
    for (const level of LEVELS) {
      const p = progressOf(
        {
          level,
          now: new Date('2026-12-10T12:00:00Z'),
          currentWeek: '2026-W50',
          joinedWeek: null,
          checkinWeeks: [],
          pausedWeeks: [],
          competencies: [],
          helpRequests: [],
        },
        rubrics,
      );
      expect(
        p.coverage.map((r) => r.competency.id),
        level,
      ).toEqual(ids(competenciesFor(rubrics, level)));
      expect(p.readiness?.competencies.map((r) => r.competency.id) ?? [], level).toEqual(
        ids(stretchCompetencies(rubrics, level)),
      );
      const journal = journalMarkdown({
        name: 'Ana',
        level,
        checkins: [],
        rubrics,
        now: new Date('2026-12-10T12:00:00Z'),
      });
      const toward = journal
        .split('\n')
        .filter((l) => l.startsWith('### '))
        .map((l) => l.slice(4));
      expect(toward, level).toEqual(stretchCompetencies(rubrics, level).map((c) => c.name));
    }
  });
});
