import { LEVELS, type Level, type RubricCompetency, type Rubrics } from '../rubrics/schema.ts';

export function nextLevel(level: Level): Level | null {
  return LEVELS[LEVELS.indexOf(level) + 1] ?? null;
}

/** The competencies a member of this level practises: their level's, then the shared ones. */
export function competenciesFor(rubrics: Rubrics, level: Level): RubricCompetency[] {
  return [...rubrics.levels[level].competencies, ...rubrics.shared.competencies].map((c) => rubrics.byId.get(c.id)!);
}

/** The next level's competencies, the stretch goals readiness counts (none at the top level). */
export function stretchCompetencies(rubrics: Rubrics, level: Level): RubricCompetency[] {
  const next = nextLevel(level);
  return next ? rubrics.levels[next].competencies.map((c) => rubrics.byId.get(c.id)!) : [];
}

/** What a member may file a check-in under: the competencies they practise, then the stretch goals. */
export function checkinCompetencies(rubrics: Rubrics, level: Level): RubricCompetency[] {
  return [...competenciesFor(rubrics, level), ...stretchCompetencies(rubrics, level)];
}

/** A competency's name by id, as every surface shows it (`none` for none, 'no competency' by default; the id for one no longer in the rubrics). */
export function competencyNamer(rubrics: Rubrics, none = 'no competency'): (id: string | null) => string {
  return (id) => (id ? (rubrics.byId.get(id)?.name ?? id) : none);
}
