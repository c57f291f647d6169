/** Every prompt of the shipped rubrics with where it is filed, for content tests. */
import { mentoringPrompts, oncallPrompts, stretchFor, trapPrompts } from '../../src/rubrics/extras.ts';
import { LEVELS, type Level, type Rubrics } from '../../src/rubrics/schema.ts';

export type PromptKind = 'regular' | 'trap' | 'stretch' | 'mentoring' | 'oncall';

export interface ListedPrompt {
  id: string;
  text: string;
  competencyId: string;
  kind: PromptKind;
  /** The level whose members are sent it; `shared` for the shared competencies' own prompts. */
  sentTo: Level | 'shared';
}

/** Every prompt a member can be sent: regular, trap, stretch, mentoring and on-call. */
export function allPrompts(r: Rubrics): ListedPrompt[] {
  const regular = [...LEVELS.map((l) => r.levels[l]), r.shared].flatMap((f) =>
    f.competencies.flatMap((c) =>
      c.prompts.map((p) => ({ ...p, competencyId: c.id, kind: 'regular' as const, sentTo: f.level })),
    ),
  );
  const extra = LEVELS.flatMap((l) =>
    (
      [
        ['trap', trapPrompts(r, l)],
        ['stretch', stretchFor(r, l).prompts],
        ['mentoring', mentoringPrompts(r, l)],
        ['oncall', oncallPrompts(r, l)],
      ] as const
    ).flatMap(([kind, list]) =>
      list.map((p) => ({ id: p.id, text: p.text, competencyId: p.competency.id, kind, sentTo: l })),
    ),
  );
  return [...regular, ...extra];
}

/** What a member of `level` can be sent: their level's prompts of every kind and the shared ones. */
export function promptsFor(r: Rubrics, level: Level): ListedPrompt[] {
  return allPrompts(r).filter((p) => p.sentTo === level || p.sentTo === 'shared');
}
