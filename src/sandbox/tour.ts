// The "Try this" tour: the weekly loop in six steps, each ticked by what really happened to the
// person the visitor is looking at since the demo started (deliveries, check-ins, shifts), never
// by a click on the list. A step once done stays done (kept with the workspace).
import { recentCheckins } from '../db/checkins.ts';
import { sentBetween } from '../db/deliveries.ts';
import { memberShiftsBetween } from '../db/shifts.ts';
import { TEAM_ID } from './people.ts';
import type { Sandbox } from './types.ts';

export const STEPS = [
  { id: 'monday', text: 'Jump to Monday: the weekly prompt arrives at 10:00 in your zone' },
  { id: 'answer', text: 'Answer it' },
  { id: 'reminder', text: 'Jump to Thursday: the reminders go out, and skip you' },
  { id: 'digest', text: "Jump to Friday and act as a mentor (Marta): read the mentor's digest" },
  { id: 'oncall', text: 'See an on-call week: the on-call prompt, then the retro after the shift' },
  {
    id: 'reflection',
    text: 'Join an incident channel, write, archive it: the reflection comes two working days later',
  },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** What has happened to `as` since the demo started, by step. */
async function happened(s: Sandbox, as: string): Promise<Set<StepId>> {
  const { db } = s.deps;
  const now = s.clock.now();
  const [sent, checkins, shifts] = await Promise.all([
    sentBetween(db, s.demoStart, now),
    recentCheckins(db, TEAM_ID, as, 1),
    memberShiftsBetween(db, [{ teamId: TEAM_ID, userId: as }], { from: s.demoStart, to: now }),
  ]);
  const mine = sent.filter((d) => d.userId === as);
  const done = new Set<StepId>();
  if (mine.some((d) => d.kind === 'prompt')) done.add('monday');
  const answered = checkins[0] && checkins[0].createdAt > s.demoStart ? checkins[0].createdAt : null;
  if (answered) {
    done.add('answer');
    // Reminders went out after the answer, and none of them (nor any since) to this person.
    const after = sent.filter((d) => d.kind === 'reminder' && d.sentAt > answered);
    if (after.some((d) => d.userId !== as) && !after.some((d) => d.userId === as)) done.add('reminder');
  }
  if (mine.some((d) => d.kind === 'digest')) done.add('digest');
  // The on-call week: a prompt sent during one of their shifts (the on-call prompt), or its retro.
  const oncallPrompt = mine.some(
    (d) => d.kind === 'prompt' && shifts.some((sh) => sh.startsAt <= d.sentAt && d.sentAt < sh.endsAt),
  );
  if (oncallPrompt || mine.some((d) => d.kind === 'retro')) done.add('oncall');
  if (mine.some((d) => d.kind === 'reflection')) done.add('reflection');
  return done;
}

/** The tour for the page, after noting what the visitor now sees as `as`. */
export async function tour(s: Sandbox, as: string): Promise<{ id: StepId; text: string; done: boolean }[]> {
  for (const id of await happened(s, as)) s.tourDone.add(id);
  return STEPS.map((st) => ({ ...st, done: s.tourDone.has(st.id) }));
}
