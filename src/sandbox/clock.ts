// The sandbox clock's jumps: every scheduler tick between the old and the new instant runs, in
// order, through the scheduler's own code (ticks where nothing is due are skipped, and a tick runs
// only the jobs due by then), and the answer says what went out and to whom.
import { DateTime } from 'luxon';
import { sentBetween } from '../db/deliveries.ts';
import type { DeliveryKind } from '../db/schema.ts';
import { WEEK_MS } from '../growth/durations.ts';
import { dueByJob } from '../jobs/next-due.ts';
import { isOncallPrompt } from '../jobs/oncall-week.ts';
import { runTicksBetween } from '../jobs/scheduler.ts';
import { autoPausedMessage } from '../outbound/views/prompt-message.ts';
import { type Answer, no } from './interactions.ts';
import { type Jump, nextJump, PEOPLE } from './people.ts';
import type { Sandbox } from './types.ts';
import { dmFor } from './workspace.ts';

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
const zoneOf = (id: string): string => PEOPLE.find((p) => p.id === id)?.tz ?? 'UTC';

const PAUSED = autoPausedMessage().text;
const PAUSED_KIND = 'prompts paused (three weeks unanswered)';

/** A message's ts (seconds.microseconds) as milliseconds. */
const tsMillis = (ts: string): number => {
  const [sec, micros] = ts.split('.');
  return Number(sec) * 1000 + Math.floor(Number(micros ?? 0) / 1000);
};

/**
 * The auto-pause notices sent after `from`, up to `to`: the weekly job DMs them itself
 * (weekly-prompts.ts tellPaused) and keeps no delivery row, so they are read from each
 * person's DM, each under the tick that sent it (the last of `ticks` at or before it).
 */
function pauseNotices(s: Sandbox, from: Date, to: Date, ticks: readonly Date[]): { at: string; userId: string }[] {
  const out: { at: string; userId: string }[] = [];
  for (const p of PEOPLE)
    for (const m of s.standIn.workspace.conversations.get(dmFor(p.id)) ?? []) {
      const ms = tsMillis(m.ts);
      if (m.from !== 'bot' || m.text !== PAUSED || ms <= from.getTime() || ms > to.getTime()) continue;
      const tick = ticks.findLast((t) => t.getTime() <= ms) ?? new Date(ms);
      out.push({ at: tick.toISOString(), userId: p.id });
    }
  return out;
}

/**
 * What went out between two instants, one line per tick and kind, recipients by name: the
 * deliveries, and the auto-pause notices of the ticks given (`ticks`, the instants they ran).
 */
export async function sentSince(s: Sandbox, from: Date, to: Date, ticks: readonly Date[] = []): Promise<Sent[]> {
  const sent = (await sentBetween(s.deps.db, from, to)).map((d) => ({
    at: d.sentAt.toISOString(),
    kind: d.kind === 'prompt' && isOncallPrompt(s.deps, d.promptLevel, d.promptId) ? 'on-call prompt' : KINDS[d.kind],
    userId: d.userId,
  }));
  const paused = pauseNotices(s, from, to, ticks).map((n) => ({ ...n, kind: PAUSED_KIND }));
  // In order of time; within a tick, the deliveries first (a stable sort keeps their order).
  const all = [...sent, ...paused].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const out: Sent[] = [];
  for (const d of all) {
    const last = out.at(-1);
    if (last?.at === d.at && last.kind === d.kind) last.to.push(nameOf(d.userId));
    else out.push({ at: d.at, kind: d.kind, to: [nameOf(d.userId)] });
  }
  return out;
}

function targetOf(from: Date, user: string, to: string): Date | undefined {
  if (['monday', 'thursday', 'friday'].includes(to)) return nextJump(from, zoneOf(user), to as Jump);
  return DateTime.fromISO(to).isValid ? DateTime.fromISO(to).toJSDate() : undefined;
}

/**
 * The furthest one jump goes: the README's month with room to spare, two turns of the demo's
 * four-week on-call rotation (about 8 s on the seeded workspace; a year took 47 s). Further is
 * a second jump.
 */
export const MAX_JUMP_WEEKS = 8;
/** Sandboxes whose clock is moving: a second jump meanwhile is refused, not run beside it. */
const jumping = new WeakSet<Sandbox>();

export async function moveClock(s: Sandbox, user: string, to: unknown): Promise<Answer> {
  if (typeof to !== 'string')
    return no('`to` must be a string: an ISO instant, or monday, thursday or friday.', { httpStatus: 400 });
  if (jumping.has(s))
    // Answered 200 like every refusal the page may meet (a 4xx is a console error in the visitor's browser).
    return no('A jump is already running: wait for it to finish, then jump again.');
  const from = s.clock.now();
  const target = targetOf(from, user, to);
  if (!target) return no('`to` must be an ISO instant or monday, thursday or friday.');
  if (target < from) return no(`The clock never goes backwards: it is already ${from.toISOString()}.`);
  const limit = new Date(from.getTime() + MAX_JUMP_WEEKS * WEEK_MS);
  if (target > limit) {
    // Said in the acting person's own time, as the page shows every instant.
    const until = DateTime.fromJSDate(limit, { zone: zoneOf(user) }).toFormat('ccc d LLL yyyy HH:mm');
    return no(
      `The clock jumps at most ${MAX_JUMP_WEEKS} weeks at a time, here to ${until} your time: jump there first, then on.`,
    );
  }
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
  const ran = await sentSince(
    s,
    from,
    target,
    ticks.map((t) => t.at),
  );
  return { ok: true, now: target.toISOString(), ticks: ticks.length, ran };
}
