/**
 * Read-only views of the rubric extras: trap, stretch, mentoring and on-call prompts, the
 * mentor's follow-up questions and what a good answer looks like. Pure functions over a
 * loaded `Rubrics`; a list a level does not have (mentoring below senior) is empty, never undefined.
 */
import type { ExtraPrompt, ExtraPromptEntry, Level, RubricCompetency, Rubrics } from './schema.ts';

function resolve(rubrics: Rubrics, entries: ExtraPromptEntry[] | undefined): ExtraPrompt[] {
  return (entries ?? []).flatMap((p) => {
    const competency = rubrics.byId.get(p.competency);
    // The loader refuses a dangling reference; an in-memory Rubrics that has one just loses the prompt.
    return competency ? [{ id: p.id, text: p.text, competency }] : [];
  });
}

/** Prompts that work against this level's trap. */
export function trapPrompts(rubrics: Rubrics, level: Level): ExtraPrompt[] {
  return resolve(rubrics, rubrics.levels[level].trap_prompts);
}

/** Prompts reaching one level up (staff: beyond their organisation), filed under the next level's competencies. */
export function stretchFor(rubrics: Rubrics, level: Level): { label: string; prompts: ExtraPrompt[] } {
  const stretch = rubrics.levels[level].stretch;
  return { label: stretch?.label ?? '', prompts: resolve(rubrics, stretch?.prompts) };
}

/** Prompts about a senior or staff member's own mentoring; empty for the other levels. */
export function mentoringPrompts(rubrics: Rubrics, level: Level): ExtraPrompt[] {
  return resolve(rubrics, rubrics.levels[level].mentoring_prompts);
}

/** Prompts for the start of an on-call shift, at this level. */
export function oncallPrompts(rubrics: Rubrics, level: Level): ExtraPrompt[] {
  return resolve(rubrics, rubrics.levels[level].oncall_prompts);
}

/** What a good answer looks like for a member at `level` (a level file has one line for its own level). */
export function goodAnswer(competency: RubricCompetency, level: Level): string | undefined {
  const answer = competency.good_answer;
  return typeof answer === 'string' ? answer : answer[level];
}

/** Questions a mentor can ask about this competency in the 1:1. */
export function followUps(competency: RubricCompetency): string[] {
  return competency.follow_ups;
}

/** The trap in one sentence (its first), as shown on Home and in summaries; '' when there is none. */
export function trapSentence(rubrics: Rubrics, level: Level): string {
  const trap = rubrics.levels[level].trap?.replace(/\s+/g, ' ').trim() ?? '';
  return trap.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? trap;
}
