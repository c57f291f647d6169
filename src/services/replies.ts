import type { Db } from '../db/create-db.ts';
import {
  getReply,
  type Reply,
  recordKudos,
  recordReply,
  setReplyMessage,
  sharedCheckin,
  threadStart,
} from '../db/replies.ts';
import type { Deps } from '../deps.ts';
import { checkText } from '../growth/checkin.ts';
import { REPLY_MAX_CHARS } from '../growth/mentoring.ts';
import { isMentorOf } from './mentorships.ts';

/** Where a Reply button points: a mentee (from the digest or a summary), or a reply received. */
export type ReplyTo = { menteeId: string } | { replyId: string };

export type ReplyTarget =
  | {
      kind: 'ok';
      menteeId: string;
      mentorId: string;
      /** The conversation it continues; null for a new one. */
      threadId: string | null;
      /** Who receives it. */
      recipientId: string;
    }
  | { kind: 'not-yours' };

/**
 * Whom the person may write to: a mentee only their current mentor; a reply only its recipient,
 * while the two are still mentor and mentee.
 */
export async function replyTarget(db: Db, p: { teamId: string; userId: string; to: ReplyTo }): Promise<ReplyTarget> {
  if ('menteeId' in p.to) {
    const menteeId = p.to.menteeId;
    if (menteeId === p.userId || !(await isMentorOf(db, p.teamId, menteeId, p.userId))) return { kind: 'not-yours' };
    return { kind: 'ok', menteeId, mentorId: p.userId, threadId: null, recipientId: menteeId };
  }
  const r = await getReply(db, p.to.replyId);
  if (!r || r.teamId !== p.teamId) return { kind: 'not-yours' };
  const recipient = r.fromMentor ? r.userId : r.mentorId;
  if (recipient !== p.userId) return { kind: 'not-yours' };
  if (!(await isMentorOf(db, p.teamId, r.userId, r.mentorId))) return { kind: 'not-yours' };
  return {
    kind: 'ok',
    menteeId: r.userId,
    mentorId: r.mentorId,
    threadId: r.threadId ?? r.id,
    recipientId: r.fromMentor ? r.mentorId : r.userId,
  };
}

export type ReplySave =
  | { kind: 'saved'; reply: Reply; created: boolean; recipientId: string; thread?: { channel: string; ts: string } }
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number; limit: number }
  | { kind: 'not-yours' };

/** Stores a reply from the form (once per form), after checking its text and who may send it. */
export async function saveReply(
  deps: Deps,
  db: Db,
  p: { teamId: string; userId: string; to: ReplyTo; text: string | null | undefined; formId: string },
): Promise<ReplySave> {
  const check = checkText(p.text, REPLY_MAX_CHARS);
  if (!check.ok)
    return check.reason === 'empty'
      ? { kind: 'empty' }
      : { kind: 'too-long', length: check.length, limit: check.limit };
  const t = await replyTarget(db, p);
  if (t.kind !== 'ok') return t;
  const { reply, created } = await recordReply(db, {
    teamId: p.teamId,
    menteeId: t.menteeId,
    mentorId: t.mentorId,
    fromMentor: p.userId === t.mentorId,
    text: check.text,
    threadId: t.threadId,
    idempotencyKey: `view:${p.formId}`,
    at: deps.now(),
  });
  const thread = reply.threadId ? await threadStart(db, reply.threadId, reply.fromMentor) : undefined;
  return { kind: 'saved', reply, created, recipientId: t.recipientId, ...(thread ? { thread } : {}) };
}

/** Where the reply was posted, so the next message to that side goes in its thread. */
export function replyPosted(db: Db, replyId: string, where: { channel: string; ts: string }): Promise<void> {
  return setReplyMessage(db, replyId, where.channel, where.ts);
}

export type KudosResult =
  | { kind: 'given'; menteeId: string; text: string; at: Date }
  | { kind: 'already' }
  | { kind: 'not-yours' };

/**
 * Kudos from a mentee's current mentor on one of their shared check-ins: the mentee is told
 * once; a second click changes nothing. A private check-in is answered as one that is not
 * theirs to praise, so nothing says it exists.
 */
export async function giveKudos(
  deps: Deps,
  db: Db,
  p: { teamId: string; userId: string; checkinId: string },
): Promise<KudosResult> {
  const c = await mentorOfCheckin(db, p);
  if (!c) return { kind: 'not-yours' };
  const given = await recordKudos(db, {
    teamId: p.teamId,
    checkinId: c.checkinId,
    menteeId: c.userId,
    mentorId: p.userId,
    at: deps.now(),
  });
  return given ? { kind: 'given', menteeId: c.userId, text: c.text, at: c.createdAt } : { kind: 'already' };
}

/** A shared check-in whose author's current mentor is the person asking. */
async function mentorOfCheckin(db: Db, p: { teamId: string; userId: string; checkinId: string }) {
  const checkin = await sharedCheckin(db, p.teamId, p.checkinId);
  if (!checkin || checkin.userId === p.userId) return undefined;
  return (await isMentorOf(db, p.teamId, checkin.userId, p.userId)) ? checkin : undefined;
}
