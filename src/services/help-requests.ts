import type { Db } from '../db/create-db.ts';
import {
  getHelpRequest,
  type HelpRequestRow,
  markHelped,
  markOffered,
  markResolved,
  setHelpedNote,
} from '../db/help-requests.ts';
import type { Deps } from '../deps.ts';
import { checkText } from '../growth/checkin.ts';
import { HELPED_NOTE_MAX_CHARS, mayResolve } from '../growth/mentoring.ts';
import { mentorOf } from './mentorships.ts';

interface Ask {
  teamId: string;
  userId: string;
  /** The help request's check-in. */
  checkinId: string;
}

/** The request, and the mentee's current mentor (null when none). */
async function requestAndMentor(db: Db, p: Ask) {
  const request = await getHelpRequest(db, p.checkinId);
  if (!request || request.teamId !== p.teamId) return undefined;
  return { request, mentorId: (await mentorOf(db, p.teamId, request.userId)) ?? null };
}

export type OfferResult =
  | { kind: 'offered'; request: HelpRequestRow; at: Date }
  | { kind: 'already' }
  | { kind: 'resolved' }
  | { kind: 'not-yours' };

/** "I'll help": only the mentee's current mentor; the mentee is then told who and when (by the caller). */
export async function offerHelp(deps: Deps, db: Db, p: Ask): Promise<OfferResult> {
  const found = await requestAndMentor(db, p);
  if (!found || found.mentorId !== p.userId || found.request.userId === p.userId) return { kind: 'not-yours' };
  if (found.request.resolvedAt) return { kind: 'resolved' };
  const at = deps.now();
  return (await markOffered(db, found.request, p.userId, at))
    ? { kind: 'offered', request: found.request, at }
    : { kind: 'already' };
}

export type ResolveResult =
  | { kind: 'resolved'; request: HelpRequestRow; mentorId: string | null }
  | { kind: 'already' }
  | { kind: 'not-yours' };

/** Resolved: by the mentee or their current mentor, once; the mentee is then asked whether it helped. */
export async function resolveHelp(deps: Deps, db: Db, p: Ask): Promise<ResolveResult> {
  const found = await requestAndMentor(db, p);
  if (!found || !mayResolve(p.userId, found.request.userId, found.mentorId)) return { kind: 'not-yours' };
  return (await markResolved(db, found.request, p.userId, deps.now()))
    ? { kind: 'resolved', request: found.request, mentorId: found.mentorId }
    : { kind: 'already' };
}

/** The mentee's one click on "did it help?"; false when not theirs or answered before. */
export function answerHelped(deps: Deps, db: Db, p: Ask & { helped: boolean }): Promise<boolean> {
  return markHelped(db, p.checkinId, p.userId, p.helped, deps.now());
}

export type NoteResult = { kind: 'saved' } | { kind: 'too-long'; limit: number; length: number } | { kind: 'gone' };

/** The optional line after answering "did it help?" (empty: nothing to keep). */
export async function addHelpedNote(db: Db, p: Ask & { text: string | null | undefined }): Promise<NoteResult> {
  const check = checkText(p.text, HELPED_NOTE_MAX_CHARS);
  if (!check.ok)
    return check.reason === 'empty'
      ? { kind: 'saved' }
      : { kind: 'too-long', length: check.length, limit: check.limit };
  return (await setHelpedNote(db, p.checkinId, p.userId, check.text)) ? { kind: 'saved' } : { kind: 'gone' };
}
