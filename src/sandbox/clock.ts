// The sandbox clock's jumps: every scheduler tick between the old and the new instant runs, in
// order, through the scheduler's own code (ticks where nothing is due are skipped, and a tick runs
// only the jobs due by then), and the answer says what went out and to whom.
import { DateTime } from 'luxon';
import { sentBetween } from '../db/deliveries.ts';
import type { DeliveryKind } from '../db/schema.ts';
import { dueByJob } from '../jobs/next-due.ts';
import { isOncallPrompt } from '../jobs/oncall-week.ts';
import { runTicksBetween } from '../jobs/scheduler.ts';
import { type Answer, no } from './interactions.ts';
import { type Jump, nextJump, PEOPLE } from './people.ts';
import type { Sandbox } from './types.ts';

const KINDS: Record<DeliveryKind, string> = {
  prompt: 'weekly prompt',
  reminder: 'reminder',
  digest: 'mentor digest',
  retro: 'on-call retro',
  reflection: 'incident reflection',
  follow_up: 'incident follow-up',
  mentor_left: 'mentor left',
  focus_review: 'quarter review',
  agenda: '1:1 agenda',
  takeaway: '1:1 takeaway question',
};

export interface Sent {
  /** When the tick that sent it ran. */
  at: string;
  kind: string;
  to: string[];
}

const nameOf = (id: string): string => PEOPLE.find((p) => p.id === id)?.name ?? id;

/** What went out between two instants, one line per tick and kind, recipients by name. */
export async function sentSince(s: Sandbox, from: Date, to: Date): Promise<Sent[]> {
  const out: Sent[] = [];
  for (const d of await sentBetween(s.deps.db, from, to)) {
    const at = d.sentAt.toISOString();
    const kind =
      d.kind === 'prompt' && isOncallPrompt(s.deps, d.promptLevel, d.promptId) ? 'on-call prompt' : KINDS[d.kind];
    const last = out.at(-1);
    if (last?.at === at && last.kind === kind) last.to.push(nameOf(d.userId));
    else out.push({ at, kind, to: [nameOf(d.userId)] });
  }
  return out;
}

function targetOf(from: Date, user: string, to: string): Date | undefined {
  const tz = PEOPLE.find((p) => p.id === user)?.tz ?? 'UTC';
  if (['monday', 'thursday', 'friday'].includes(to)) return nextJump(from, tz, to as Jump);
  return DateTime.fromISO(to).isValid ? DateTime.fromISO(to).toJSDate() : undefined;
}

/**
 * The furthest one jump goes: the README's month with room to spare, two turns of the demo's
 * four-week on-call rotation (about 8 s on the seeded workspace; a year took 47 s). Further is
 * a second jump.
 */
export const MAX_JUMP_WEEKS = 8;
/** Sandboxes whose clock is moving: a second jump meanwhile is refused (409), not run beside it. */
const jumping = new WeakSet<Sandbox>();

export async function moveClock(s: Sandbox, user: string, to: unknown): Promise<Answer> {
  if (typeof to !== 'string')
    return no('`to` must be a string: an ISO instant, or monday, thursday or friday.', { httpStatus: 400 });
  if (jumping.has(s))
    return no('A jump is already running: wait for it to finish, then jump again.', { httpStatus: 409 });
  const from = s.clock.now();
  const target = targetOf(from, user, to);
  if (!target) return no('`to` must be an ISO instant or monday, thursday or friday.');
  if (target < from) return no(`The clock never goes backwards: it is already ${from.toISOString()}.`);
  const limit = new Date(from.getTime() + MAX_JUMP_WEEKS * 7 * 24 * 3600_000);
  if (target > limit)
    return no(
      `The clock jumps at most ${MAX_JUMP_WEEKS} weeks at a time, here to ${limit.toISOString()}: jump there first, then on.`,
    );
  const started = performance.now();
  jumping.add(s);
  // The page redraws once, when the jump is done, not after every message on the way.
  const release = s.standIn.workspace.hold();
  let ticks: Awaited<ReturnType<typeof runTicksBetween>>;
  try {
    ticks = await runTicksBetween(
      s.deps,
      { lastTick: s.lastTick, from, to: target },
      { due: (after) => dueByJob(s.deps, after), at: s.clock.set },
    );
    s.lastTick = ticks.at(-1)?.at ?? s.lastTick;
    s.clock.set(target);
    s.standIn.workspace.changed();
  } finally {
    jumping.delete(s);
    release();
  }
  const ms = Math.round(performance.now() - started);
  s.deps.logger.info({ from, to: target, ticks: ticks.length, ms }, 'sandbox clock moved');
  return { ok: true, now: target.toISOString(), ticks: ticks.length, ran: await sentSince(s, from, target) };
}
