/**
 * An in-memory Rubrics object for tests: 4 levels × 3 competencies × 6 prompts plus a shared
 * rubric of 3 × 6 (sizes configurable). Every file is parsed with the real zod schema, so the
 * fixture is always valid. Ids: competency `${file}-c${i}` (e.g. 'mid-c2', 'shared-c1'),
 * prompt `${competencyId}-p${j}` (e.g. 'mid-c2-p6'), all 1-based. Each level file also has
 * 4 trap prompts (`trap-mid-p1`), 4 on-call prompts (`oncall-mid-p1`), 6 stretch prompts
 * (`stretch-mid-p1`, filed under the next level's competencies in turn; staff: its own) and,
 * for senior and staff, 3 mentoring prompts (`mentor-senior-p1`); extras of a level are filed
 * under its competencies in turn. Every competency has 2 follow-ups and a good answer.
 */

import type { Level, RubricCompetency, RubricFile, Rubrics } from '../../src/rubrics/schema.ts';
import { LEVELS, rubricFileSchema } from '../../src/rubrics/schema.ts';

export interface RubricFixtureOptions {
  /** Competencies per level file (default 3). */
  competencies?: number;
  /** Competencies in the shared file (default 3). */
  sharedCompetencies?: number;
  /** Prompts per competency (default 6, the schema minimum). */
  prompts?: number;
}

const STAFF_STRETCH = 'Stretch beyond your organisation';

function extras(kind: string, level: Level, count: number, filedUnder: Level, competencies: number) {
  return Array.from({ length: count }, (_, j) => ({
    id: `${kind}-${level}-p${j + 1}`,
    competency: `${filedUnder}-c${(j % competencies) + 1}`,
    text: `${kind} prompt ${j + 1} for ${level}: try one thing this week and link the pull request.`,
  }));
}

function levelExtras(level: Level, competencies: number) {
  const next = LEVELS[LEVELS.indexOf(level) + 1] ?? level;
  return {
    trap: `A ${level} engineer gets stuck this way, in a fixture. Here is how to avoid it.`,
    trap_prompts: extras('trap', level, 4, level, competencies),
    stretch: {
      label: level === 'staff' ? STAFF_STRETCH : `Stretch toward ${next}`,
      prompts: extras('stretch', level, 6, next, competencies),
    },
    oncall_prompts: extras('oncall', level, 4, level, competencies),
    ...(level === 'senior' || level === 'staff'
      ? { mentoring_prompts: extras('mentor', level, 3, level, competencies) }
      : {}),
  };
}

function rubricFile(level: Level | 'shared', competencies: number, prompts: number): RubricFile {
  const file = {
    level,
    title: `${level} rubric`,
    summary: `Fixture rubric for the ${level} level, used by unit tests only.`,
    ...(level === 'shared' ? {} : levelExtras(level, competencies)),
    competencies: Array.from({ length: competencies }, (_, i) => {
      const id = `${level}-c${i + 1}`;
      // shared.yaml has one line per level, a level file one line ("A good mid answer for mid-c2.").
      const perLevel = (before: string, after: string) =>
        level === 'shared'
          ? Object.fromEntries(LEVELS.map((l) => [l, `${before} ${l} ${after} for ${id}.`]))
          : `${before} ${level} ${after} for ${id}.`;
      return {
        id,
        name: `${level} competency ${i + 1}`,
        why: `Why ${id} matters, written for the test fixture.`,
        signals: [`${id} signal one`, `${id} signal two`],
        follow_ups: [`What did you try first for ${id}?`, `What would you do differently for ${id}?`],
        good_answer: perLevel('A good', 'answer'),
        red_flag: perLevel('A weak', 'answer'),
        reference: perLevel('A fact to check a', 'answer'),
        safety_question: perLevel('How was the', 'work kept safe?'),
        prompts: Array.from({ length: prompts }, (_, j) => ({
          id: `${id}-p${j + 1}`,
          text: `Prompt ${j + 1} for ${id}: describe a recent example from your work.`,
        })),
      };
    }),
  };
  return rubricFileSchema.parse(file);
}

export function buildRubricFixture(options: RubricFixtureOptions = {}): Rubrics {
  const competencies = options.competencies ?? 3;
  const sharedCompetencies = options.sharedCompetencies ?? 3;
  const prompts = options.prompts ?? 6;
  const levels = Object.fromEntries(LEVELS.map((level) => [level, rubricFile(level, competencies, prompts)])) as Record<
    Level,
    RubricFile
  >;
  const shared = rubricFile('shared', sharedCompetencies, prompts);
  const byId = new Map<string, RubricCompetency>();
  for (const file of [...LEVELS.map((l) => levels[l]), shared]) {
    for (const c of file.competencies) byId.set(c.id, { ...c, level: file.level });
  }
  return { levels, shared, byId };
}

/** The default fixture (4 levels × 3 × 6 + shared 3 × 6). Treat as read-only. */
export const rubricFixture: Rubrics = buildRubricFixture();
