/**
 * An in-memory Rubrics object for tests: 4 levels × 3 competencies × 6 prompts plus a shared
 * rubric of 3 × 6 (sizes configurable). Every file is parsed with the real zod schema, so the
 * fixture is always valid. Ids: competency `${file}-c${i}` (e.g. 'mid-c2', 'shared-c1'),
 * prompt `${competencyId}-p${j}` (e.g. 'mid-c2-p6'), all 1-based.
 */
import { LEVELS, rubricFileSchema } from '../../src/rubrics/schema.ts';
import type { Level, RubricCompetency, RubricFile, Rubrics } from '../../src/rubrics/schema.ts';

export interface RubricFixtureOptions {
  /** Competencies per level file (default 3). */
  competencies?: number;
  /** Competencies in the shared file (default 3). */
  sharedCompetencies?: number;
  /** Prompts per competency (default 6, the schema minimum). */
  prompts?: number;
}

function rubricFile(level: Level | 'shared', competencies: number, prompts: number): RubricFile {
  const file = {
    level,
    title: `${level} rubric`,
    summary: `Fixture rubric for the ${level} level, used by unit tests only.`,
    ...(level === 'shared' ? {} : { trap: `The common way a ${level} engineer gets stuck, in a fixture.` }),
    competencies: Array.from({ length: competencies }, (_, i) => {
      const id = `${level}-c${i + 1}`;
      return {
        id,
        name: `${level} competency ${i + 1}`,
        why: `Why ${id} matters, written for the test fixture.`,
        signals: [`${id} signal one`, `${id} signal two`],
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
  const levels = Object.fromEntries(
    LEVELS.map((level) => [level, rubricFile(level, competencies, prompts)]),
  ) as Record<Level, RubricFile>;
  const shared = rubricFile('shared', sharedCompetencies, prompts);
  const byId = new Map<string, RubricCompetency>();
  for (const file of [...LEVELS.map((l) => levels[l]), shared]) {
    for (const c of file.competencies) byId.set(c.id, { ...c, level: file.level });
  }
  return { levels, shared, byId };
}

/** The default fixture (4 levels × 3 × 6 + shared 3 × 6). Treat as read-only. */
export const rubricFixture: Rubrics = buildRubricFixture();
