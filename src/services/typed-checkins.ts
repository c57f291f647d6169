import { batched } from '../db/batch.ts';
import {
  editMessageCheckin,
  isWithdrawnMessage,
  type MessageRef,
  messageCheckin,
  recordCheckins,
} from '../db/checkins.ts';
import type { Db } from '../db/create-db.ts';
import { type MemberAndWeek, membersWithNudges, setNudgeOutcome } from '../db/nudges.ts';
import type { Checkin, Member, NewCheckin, Nudge } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { promptAnswered, splitCompetencyPrefix } from '../growth/checkin.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import type { Level, RubricCompetency } from '../rubrics/schema.ts';

/** Quick check-ins that arrive together share their round trips to Postgres. */
export interface QuickWrites {
  lookup: (key: { teamId: string; userId: string; at: Date }) => Promise<MemberAndWeek>;
  record: (row: NewCheckin) => Promise<{ checkin: Checkin; created: boolean } | Error>;
}

export function quickWrites(db: Db): QuickWrites {
  return {
    lookup: batched((keys) => membersWithNudges(db, keys)),
    record: batched((rows) => recordCheckins(db, rows)),
  };
}

/** A check-in a joined member typed: `/checkin <text>`, or a message in the bot's DM. */
export interface TypedCheckin {
  teamId: string;
  userId: string;
  /** Checked text (`checkText`), perhaps starting with a competency id. */
  text: string;
  source: 'command' | 'dm';
  /** The same words arriving again (a resend, a Slack retry) carry the same key: stored once. */
  idempotencyKey: string;
  /** The DM message it came from, so edits and deletions of the message follow it. */
  message?: { channel: string; ts: string };
  /** A file shared with the message: its permalink is kept as the evidence. */
  evidenceUrl?: string | null;
  /** Written in the thread of a prompt's DM: that prompt, which it answers. */
  replyTo?: Nudge | undefined;
}

export type TypedSave =
  | { created: false }
  | {
      created: true;
      checkin: Checkin;
      competency: RubricCompetency | undefined;
      answers: { id: string } | undefined;
      answered: Nudge | undefined;
    };

/**
 * The one way typed text becomes a check-in: a leading competency id files it there; otherwise,
 * when it answers a prompt (`promptAnswered`: the one it replies to, else this week's), under
 * the prompt's competency. A prompt it answers is settled in the same call.
 */
export async function saveTypedCheckin(
  deps: Deps,
  writes: QuickWrites,
  week: { member: Member & { level: Level }; nudge: MemberAndWeek['nudge'] },
  t: TypedCheckin,
  now: Date,
): Promise<TypedSave> {
  const { member, nudge } = week;
  const split = splitCompetencyPrefix(
    t.text,
    checkinCompetencies(deps.rubrics, member.level).map((c) => c.id),
  );
  const answers = promptAnswered({ userId: t.userId, at: now, tz: member.tz, from: t.replyTo, thisWeek: nudge });
  const competency = deps.rubrics.byId.get(split.competencyId ?? answers?.competencyId ?? '');
  const result = await writes.record({
    team_id: t.teamId,
    user_id: t.userId,
    competency_id: competency?.id ?? null,
    competency_name: competency?.name ?? null,
    text: split.text,
    rating: null,
    evidence_url: t.evidenceUrl ?? null,
    source: t.source,
    nudge_id: answers?.id ?? null,
    idempotency_key: t.idempotencyKey,
    ...(t.message ? { message_channel: t.message.channel, message_ts: t.message.ts } : {}),
    created_at: now,
    updated_at: now,
  });
  if (result instanceof Error) throw result;
  if (!result.created) return { created: false };
  deps.metrics.checkins.inc({ source: t.source });
  const answered = answers ? await setNudgeOutcome(deps.db, answers.id, t.userId, 'answered', now) : undefined;
  return { created: true, checkin: result.checkin, competency, answers, answered };
}

export type MessageEdit =
  | { kind: 'changed'; checkin: Checkin }
  | { kind: 'first-fit'; text: string }
  | { kind: 'too-long'; length: number; stored: boolean }
  | { kind: 'none' };

/**
 * The person edited a DM message. Its check-in takes the new words; a message that was too
 * long to keep and is now short enough becomes a check-in (`first-fit`: the caller saves it as
 * a new message would be). Anything else (a message they took back with *Not a check-in*) stays
 * as it is.
 */
export async function editTypedCheckin(
  deps: Deps,
  db: Db,
  ref: MessageRef,
  edit: {
    text: { ok: true; text: string } | { ok: false; tooLong: number | null };
    wasTooLong: boolean;
    /** The words did not change (Slack adds a link preview, or sends the same edit again). */
    unchanged: boolean;
  },
): Promise<MessageEdit> {
  if (edit.unchanged) return { kind: 'none' };
  if (!edit.text.ok) {
    if (edit.text.tooLong === null) return { kind: 'none' };
    const stored = Boolean(await messageCheckin(db, ref));
    return stored || edit.wasTooLong ? { kind: 'too-long', length: edit.text.tooLong, stored } : { kind: 'none' };
  }
  const edited = await editMessageCheckin(db, ref, edit.text.text, deps.now());
  if (edited) return { kind: 'changed', checkin: edited };
  // Too long when posted, short enough now, and never taken back with *Not a check-in*.
  if (edit.wasTooLong && !(await messageCheckin(db, ref)) && !(await isWithdrawnMessage(db, ref)))
    return { kind: 'first-fit', text: edit.text.text };
  return { kind: 'none' };
}
