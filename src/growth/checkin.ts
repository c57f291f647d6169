import { DAY_MS } from './durations.ts';
import { localWeek } from './schedule.ts';

/** How many days after saving a check-in its author may still edit or delete it. */
export const EDIT_WINDOW_DAYS = 14;

/** The oldest a check-in may have been saved and still be edited or deleted by its author. */
export function editableSince(now: Date): Date {
  return new Date(now.getTime() - EDIT_WINDOW_DAYS * DAY_MS);
}

export function isEditable(createdAt: Date, now: Date): boolean {
  return createdAt.getTime() >= editableSince(now).getTime();
}

/** The most a check-in may hold: Slack's own limit for a plain-text input. */
export const CHECKIN_MAX_CHARS = 3000;

export const RATINGS = [
  { value: 1, label: 'New to me', detail: 'I needed a lot of help' },
  { value: 2, label: 'Getting there', detail: 'I did it with some help' },
  { value: 3, label: 'Solid', detail: 'I did it on my own' },
  { value: 4, label: 'Strong', detail: 'I could teach it' },
] as const;

export type TextCheck =
  | { ok: true; text: string }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too-long'; length: number; limit: number };

/** Characters as a person counts them (an emoji is one), not UTF-16 units. */
function charLength(text: string): number {
  return [...text].length;
}

/** Typed text checked: trimmed, not empty, at most `limit` characters (a check-in's by default). */
export function checkText(raw: string | null | undefined, limit = CHECKIN_MAX_CHARS): TextCheck {
  // NUL cannot be stored in Postgres text and means nothing to a reader: it is dropped.
  const text = (typeof raw === 'string' ? raw : '').replaceAll('\u0000', '').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const length = charLength(text);
  if (length > limit) return { ok: false, reason: 'too-long', length, limit };
  return { ok: true, text };
}

/**
 * `/checkin observability: traced a request` files the check-in under a competency the
 * member practises; anything else is kept whole as the text.
 */
export function splitCompetencyPrefix(
  text: string,
  competencyIds: readonly string[],
): { competencyId: string | null; text: string } {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)\s*:\s*([\s\S]+)$/i.exec(text);
  const id = m?.[1]?.toLowerCase();
  if (m && id && competencyIds.includes(id)) return { competencyId: id, text: m[2]!.trim() };
  return { competencyId: null, text };
}

/** What the rules below need to know of a prompt. */
export interface PromptOfWeek {
  week: string;
  outcome: 'open' | 'answered' | 'skipped' | 'missed';
}

/**
 * Typed check-ins and the form opened from anywhere else: any check-in made in the member's
 * local prompt week answers that week's prompt, whatever competency it is about. (One made
 * earlier in the week, before the prompt went out, is counted when the prompt is claimed:
 * `db/deliveries.ts` claimPrompts.) Returns the prompt to mark answered, or `undefined`.
 */
export function promptAnsweredByCheckin<P extends PromptOfWeek>(
  prompt: P | null | undefined,
  checkinAt: Date,
  tz: string,
): P | undefined {
  if (!prompt || prompt.outcome === 'answered') return undefined;
  return prompt.week === localWeek(checkinAt, tz) ? prompt : undefined;
}

/** How long after it was sent a prompt can still be answered from its own message. */
export const ANSWERABLE_DAYS = EDIT_WINDOW_DAYS;

/**
 * The one rule for which prompt a check-in answers. A check-in written *from* a prompt (its
 * Answer button, or a reply in its thread) answers that prompt while it is unanswered and
 * sent less than `ANSWERABLE_DAYS` ago, whatever the day: a Sunday prompt answered on Monday,
 * last week's answered after this week's arrived. Anything else (and a check-in written from a
 * prompt answered already) follows the week rule above.
 */
export function promptAnswered<
  F extends PromptOfWeek & { userId: string; createdAt: Date },
  W extends PromptOfWeek,
>(c: {
  userId: string;
  at: Date;
  tz: string;
  from?: F | null | undefined;
  thisWeek?: W | null | undefined;
}): F | W | undefined {
  if (c.from) {
    const p = c.from;
    const fresh = c.at.getTime() - p.createdAt.getTime() < ANSWERABLE_DAYS * DAY_MS;
    if (p.userId === c.userId && p.outcome !== 'answered' && fresh) return p;
  }
  // Written from a prompt that is answered already (or too old): it answers this week's, as any other would.
  return promptAnsweredByCheckin(c.thisWeek, c.at, c.tz);
}

/**
 * "Just for me" and "I'd like help" cannot go together: the mentor is never shown a private
 * check-in, so they cannot help with it. The sentence the form shows, or null when fine.
 */
export function privateHelpConflict(f: { needsHelp: boolean; isPrivate: boolean }): string | null {
  return f.needsHelp && f.isPrivate
    ? 'Your mentor cannot help with what they cannot see: untick "Just for me" to ask for help, or untick "I\'d like help" to keep it to yourself.'
    : null;
}
