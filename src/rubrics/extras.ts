/**
 * Read-only views of the rubric extras: trap, stretch, mentoring and on-call prompts, the
 * mentor's follow-up questions and what a good answer looks like. Pure functions over a
 * loaded `Rubrics`; a list a level does not have (mentoring below senior) is empty, never undefined.
 */
import {
  type ExtraPrompt,
  type ExtraPromptEntry,
  LEVELS,
  type Level,
  type RubricCompetency,
  type Rubrics,
} from './schema.ts';

function resolve(rubrics: Rubrics, entries: ExtraPromptEntry[] | undefined): ExtraPrompt[] {
  return (entries ?? []).flatMap((p) => {
    const competency = rubrics.byId.get(p.competency);
    // The loader refuses a dangling reference; an in-memory Rubrics that has one just loses the prompt.
    return competency ? [{ id: p.id, text: p.text, competency, follow_up: p.follow_up }] : [];
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

/** A per-level field: a level file's one line, or shared.yaml's line for `level`. */
function atLevel(field: string | Record<Level, string>, level: Level): string {
  return typeof field === 'string' ? field : field[level];
}

/** What a good answer looks like for a member at `level` (a level file has one line for its own level). */
export function goodAnswer(competency: RubricCompetency, level: Level): string | undefined {
  return atLevel(competency.good_answer, level);
}

/** What a mentor sees beside a 1:1 topic: the question, what good looks like and how to judge the answer. */
export interface MentorAid {
  ask?: string;
  good?: string;
  redFlag?: string;
  reference?: string;
  safety?: string;
}

/** The follow-up of a prompt filed under `competency`, if that prompt has its own. */
function promptFollowUp(rubrics: Rubrics, competency: RubricCompetency, promptId: string): string | undefined {
  const own = competency.prompts.find((p) => p.id === promptId);
  if (own) return own.follow_up;
  for (const level of LEVELS) {
    const lists = [trapPrompts, mentoringPrompts, oncallPrompts].map((f) => f(rubrics, level));
    for (const p of [...lists.flat(), ...stretchFor(rubrics, level).prompts]) {
      if (p.id === promptId && p.competency.id === competency.id) return p.follow_up;
    }
  }
  return undefined;
}

/**
 * The mentor's aid for a competency at a member's `level`. The question is the answered prompt's own
 * follow-up when it has one (`promptId`, the latest shared check-in's prompt), else the competency's
 * first; an id no longer in the rubrics falls back the same way. Unknown competency: nothing.
 */
export function mentorAid(rubrics: Rubrics, competencyId: string, level: Level, promptId?: string | null): MentorAid {
  const c = rubrics.byId.get(competencyId);
  if (!c) return {};
  return {
    ask: (promptId ? promptFollowUp(rubrics, c, promptId) : undefined) ?? c.follow_ups[0],
    good: atLevel(c.good_answer, level),
    redFlag: atLevel(c.red_flag, level),
    reference: atLevel(c.reference, level),
    safety: atLevel(c.safety_question, level),
  };
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
