import { z } from 'zod';

/** The four rungs of the ladder, lowest first. `shared` rubrics apply to every level. */
export const LEVELS = ['junior', 'mid', 'senior', 'staff'] as const;
export type Level = (typeof LEVELS)[number];

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and dashes');

const promptText = z.string().trim().min(20, 'is too short to be a useful prompt').max(600);

/** The mentor's question for a check-in on this prompt, where the competency's first follow-up does not fit. */
const followUp = z.string().trim().min(10).max(300).optional();

export const promptSchema = z.strictObject({ id, text: promptText, follow_up: followUp });

/** A prompt outside a competency's own list (trap, stretch, mentoring, on-call): it names where it is filed. */
export const extraPromptSchema = z.strictObject({ id, competency: id, text: promptText, follow_up: followUp });

/** One line in a level file; one line for each level in shared.yaml (checked in superRefine). */
const perLevel = (max: number) =>
  z.union(
    [
      z.string().trim().min(10).max(max),
      z.strictObject(
        Object.fromEntries(LEVELS.map((l) => [l, z.string().trim().min(10).max(max)])) as Record<Level, z.ZodString>,
      ),
    ],
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required: one line in a level file, one per level (junior, mid, senior, staff) in shared.yaml; see rubrics/README.md'
          : 'must be one line of text, or in shared.yaml one line for each of junior, mid, senior, staff',
    },
  );

/** What a mentor who is not an SRE can judge an answer with, per level (see MENTOR_AIDS). */
export const MENTOR_AIDS = ['red_flag', 'reference', 'safety_question'] as const;

export const competencySchema = z.strictObject({
  id,
  name: z.string().trim().min(3).max(80),
  why: z.string().trim().min(20).max(400),
  signals: z.array(z.string().trim().min(5).max(300)).min(2),
  prompts: z.array(promptSchema).min(6, 'needs at least 6 prompts'),
  /** Questions a mentor can ask in the 1:1 about this competency. */
  follow_ups: z.array(z.string().trim().min(10).max(300)).min(2, 'needs at least 2 follow-up questions'),
  /** What a good answer looks like: one line in a level file, one per level in shared.yaml. */
  good_answer: perLevel(300),
  /** A sign of a weak answer ("set a 100 % target"). */
  red_flag: perLevel(200),
  /** A number or fact an answer can be checked against (99.9 % over 30 days = 43.2 minutes). */
  reference: perLevel(200),
  /** A question about how the work was kept safe ("Who approved it, and how would you have stopped it?"). */
  safety_question: perLevel(200),
});

const extraPrompts = (min: number, what: string) =>
  z.array(extraPromptSchema).min(min, `needs at least ${min} ${what}`);

export const rubricFileSchema = z
  .strictObject({
    level: z.enum([...LEVELS, 'shared']),
    title: z.string().trim().min(3).max(80),
    summary: z.string().trim().min(20).max(600),
    // The level-only keys below are required of level files and refused in shared.yaml: checked in
    // superRefine, as that depends on `level`. `mentoring_prompts` is for senior and staff only.
    /** The common way people at this level get stuck. Its first sentence is its short form. */
    trap: z.string().trim().min(20).max(600).optional(),
    trap_prompts: extraPrompts(4, 'trap prompts').optional(),
    stretch: z
      .strictObject({ label: z.string().trim().min(3).max(80), prompts: extraPrompts(6, 'stretch prompts') })
      .optional(),
    mentoring_prompts: extraPrompts(3, 'mentoring prompts').optional(),
    oncall_prompts: extraPrompts(4, 'on-call prompts').optional(),
    competencies: z.array(competencySchema).min(1),
  })
  .superRefine((file, ctx) => {
    const shared = file.level === 'shared';
    const refuse = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const levelOnly = ['trap', 'trap_prompts', 'stretch', 'oncall_prompts'] as const;
    if (shared) {
      for (const key of [...levelOnly, 'mentoring_prompts'] as const) {
        if (file[key] !== undefined) refuse([key], 'belongs in a level file, not shared.yaml');
      }
    } else {
      for (const key of levelOnly) if (file[key] === undefined) refuse([key], `is required in ${file.level}.yaml`);
      const mentors = file.level === 'senior' || file.level === 'staff';
      if (mentors && file.mentoring_prompts === undefined) {
        refuse(['mentoring_prompts'], `is required in ${file.level}.yaml`);
      } else if (!mentors && file.mentoring_prompts !== undefined) {
        refuse(['mentoring_prompts'], 'only senior.yaml and staff.yaml have mentoring prompts');
      }
    }
    file.competencies.forEach((c, i) => {
      for (const key of ['good_answer', ...MENTOR_AIDS] as const) {
        if (shared && typeof c[key] === 'string') {
          refuse(['competencies', i, key], 'in shared.yaml is one line per level: junior, mid, senior, staff');
        } else if (!shared && typeof c[key] !== 'string') {
          refuse(['competencies', i, key], 'in a level file is one line for that level');
        }
      }
    });
  });

export type Prompt = z.infer<typeof promptSchema>;
export type ExtraPromptEntry = z.infer<typeof extraPromptSchema>;
export type Competency = z.infer<typeof competencySchema>;
export type RubricFile = z.infer<typeof rubricFileSchema>;

/** A competency as the app uses it: its rubric file's level, or `shared`. */
export interface RubricCompetency extends Competency {
  level: Level | 'shared';
}

/** A trap, stretch, mentoring or on-call prompt with the competency its check-in is filed under. */
export interface ExtraPrompt {
  id: string;
  text: string;
  competency: RubricCompetency;
  /** The mentor's question for a check-in on this prompt, when the competency's does not fit. */
  follow_up?: string | undefined;
}

export interface Rubrics {
  levels: Record<Level, RubricFile>;
  shared: RubricFile;
  /** Every competency by id, across all files. */
  byId: Map<string, RubricCompetency>;
}
