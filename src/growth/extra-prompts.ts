/**
 * The extra prompts that take a week instead of a regular one: a stretch toward the next
 * level, a prompt against the level's trap, and (senior and staff who mentor) one about their
 * own mentoring. Pure; `selectPrompt` asks `pickExtra` first.
 */
import { mentoringPrompts, stretchFor, trapPrompts } from '../rubrics/extras.ts';
import { type ExtraPrompt, LEVELS, type Level, type Rubrics } from '../rubrics/schema.ts';

/** The organisation's default for STRETCH_EVERY: one prompt in five reaches a level up. */
export const STRETCH_EVERY_DEFAULT = 5;
/** No stretch before this many prompts: the first weeks are for the member's own level. */
export const STRETCH_AFTER = 4;
/**
 * About once every six weeks, a prompt against the level's trap: often enough that the pitfall
 * stays in view over a quarter, rarely enough that it does not read as a reproach.
 */
export const TRAP_EVERY = 6;
/**
 * About once every eight weeks, a senior or staff member who mentors someone is asked about
 * their own mentoring: roughly once between two monthly 1:1 cycles, and it yields to the rest.
 */
export const MENTORING_EVERY = 8;

/** What decides the extra prompts; without it a selection is always a regular prompt. */
export interface ExtraCadence {
  /** Every how many prompts one is a stretch (STRETCH_EVERY); 0 turns stretch prompts off. */
  stretchEvery: number;
  /** They currently mentor someone. */
  mentors: boolean;
}

/** A prompt the member had: its id and the index of its week; most recent first. */
export interface PastPrompt {
  promptId: string;
  index: number;
}

export type ExtraKind = 'stretch' | 'trap' | 'mentoring';

interface ExtraRule {
  kind: ExtraKind;
  every: number;
  /** Prompts received before the first of its kind. */
  after: number;
  prompts: ExtraPrompt[];
  label: string;
}

/** Every extra prompt id of every level, by kind (a member keeps their history across levels). */
export function extraKindsOf(rubrics: Rubrics): Map<string, ExtraKind> {
  const kinds = new Map<string, ExtraKind>();
  for (const l of LEVELS) {
    for (const p of stretchFor(rubrics, l).prompts) kinds.set(p.id, 'stretch');
    for (const p of trapPrompts(rubrics, l)) kinds.set(p.id, 'trap');
    for (const p of mentoringPrompts(rubrics, l)) kinds.set(p.id, 'mentoring');
  }
  return kinds;
}

/**
 * This week's extra prompt, if one is due. Each kind is due once `every - 1` prompts have come
 * since its last one (or since joining); the first stretch waits for STRETCH_AFTER prompts.
 * Priority: stretch, mentoring (the rarer), trap. So that at least half of all prompts are
 * regular ones (the level's and shared competencies are never starved), there are at most two
 * extras in any four weeks, and a lower one waits when taking the week would crowd out a higher
 * one due next week (which keeps the stretch share exact).
 */
export function pickExtra(
  rubrics: Rubrics,
  level: Level,
  cadence: ExtraCadence,
  all: readonly PastPrompt[],
  kinds: Map<string, ExtraKind>,
): { kind: ExtraKind; label: string; prompt: ExtraPrompt } | null {
  // At most two extras in any four weeks: at least half of all prompts stay regular.
  const recent = (n: number) => all.slice(0, n).filter((p) => kinds.has(p.promptId)).length;
  if (recent(3) >= 2) return null;
  const stretch = stretchFor(rubrics, level);
  const mentors = level === 'senior' || level === 'staff' ? cadence.mentors : false;
  const rules: ExtraRule[] = [
    {
      kind: 'stretch' as const,
      every: cadence.stretchEvery,
      after: STRETCH_AFTER,
      prompts: cadence.stretchEvery > 0 ? stretch.prompts : [],
      label: stretch.label,
    },
    {
      kind: 'mentoring' as const,
      every: MENTORING_EVERY,
      after: 0,
      prompts: mentors ? mentoringPrompts(rubrics, level) : [],
      label: MENTORING_LABEL,
    },
    { kind: 'trap' as const, every: TRAP_EVERY, after: 0, prompts: trapPrompts(rubrics, level), label: TRAP_LABEL },
  ].filter((r) => r.prompts.length > 0);
  const since = (kind: ExtraKind) => {
    const i = all.findIndex((n) => kinds.get(n.promptId) === kind);
    return i === -1 ? all.length : i;
  };
  const dueIn = (r: ExtraRule, ahead: number) =>
    all.length + ahead >= r.after && since(r.kind) + ahead >= Math.max(r.every - 1, 0);
  const at = rules.findIndex((r) => dueIn(r, 0));
  if (at === -1) return null;
  // Taking this week would leave no room next week for a higher one then due: this one waits.
  if (recent(2) >= 1 && rules.slice(0, at).some((r) => dueIn(r, 1))) return null;
  const rule = rules[at]!;
  return { kind: rule.kind, label: rule.label, prompt: chooseExtra(rule.prompts, all) };
}

const TRAP_LABEL = 'Watch for the trap';
const MENTORING_LABEL = 'Your mentoring';

/** The extra prompt never had yet (list order), else the least recently had. */
function chooseExtra(prompts: readonly ExtraPrompt[], all: readonly PastPrompt[]): ExtraPrompt {
  const lastHad = new Map<string, number>();
  for (const n of all) if (!lastHad.has(n.promptId)) lastHad.set(n.promptId, n.index);
  let best = prompts[0]!;
  for (const p of prompts) {
    const had = lastHad.get(p.id);
    if (had === undefined) return p;
    if (had < (lastHad.get(best.id) ?? Number.NEGATIVE_INFINITY)) best = p;
  }
  return best;
}

/** The DM's label for a stored prompt: the stretch label, the trap or mentoring label; null for a regular prompt. */
export function promptLabel(rubrics: Rubrics, promptId: string): string | null {
  for (const l of LEVELS) {
    const stretch = stretchFor(rubrics, l);
    if (stretch.prompts.some((p) => p.id === promptId)) return stretch.label;
  }
  const kind = extraKindsOf(rubrics).get(promptId);
  return kind === 'trap' ? TRAP_LABEL : kind === 'mentoring' ? MENTORING_LABEL : null;
}
