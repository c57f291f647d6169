import { z } from 'zod';

/** The four rungs of the ladder, lowest first. `shared` rubrics apply to every level. */
export const LEVELS = ['junior', 'mid', 'senior', 'staff'] as const;
export type Level = (typeof LEVELS)[number];

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and dashes');

export const promptSchema = z.strictObject({
  id,
  text: z.string().trim().min(20, 'is too short to be a useful prompt').max(600),
});

export const competencySchema = z.strictObject({
  id,
  name: z.string().trim().min(3).max(80),
  why: z.string().trim().min(20).max(400),
  signals: z.array(z.string().trim().min(5).max(300)).min(2),
  prompts: z.array(promptSchema).min(6, 'needs at least 6 prompts'),
});

export const rubricFileSchema = z.strictObject({
  level: z.enum([...LEVELS, 'shared']),
  title: z.string().trim().min(3).max(80),
  summary: z.string().trim().min(20).max(600),
  /** The common way people at this level get stuck; absent for `shared`. */
  trap: z.string().trim().min(20).max(600).optional(),
  competencies: z.array(competencySchema).min(1),
});

export type Prompt = z.infer<typeof promptSchema>;
export type Competency = z.infer<typeof competencySchema>;
export type RubricFile = z.infer<typeof rubricFileSchema>;

/** A competency as the app uses it: its rubric file's level, or `shared`. */
export interface RubricCompetency extends Competency {
  level: Level | 'shared';
}

export interface Rubrics {
  levels: Record<Level, RubricFile>;
  shared: RubricFile;
  /** Every competency by id, across all files. */
  byId: Map<string, RubricCompetency>;
}
