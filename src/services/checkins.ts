import {
  getOwnCheckin,
  type MessageRef,
  recordCheckin,
  setOwnCheckinPrivate,
  updateOwnCheckin,
  type Withdrawn,
  withdrawMessageCheckin,
  withdrawOwnCheckin,
} from '../db/checkins.ts';
import { type Db, inTransaction } from '../db/create-db.ts';
import { getMember, isJoined } from '../db/members.ts';
import { getNudge, nudgeForWeek, setNudgeOutcome } from '../db/nudges.ts';
import type { Checkin, IncidentParticipation, Nudge } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { privateHelpConflict, promptAnswered } from '../growth/checkin.ts';
import { localWeek } from '../growth/schedule.ts';
import type { RubricCompetency } from '../rubrics/schema.ts';
import { fileReflection } from './incidents.ts';

/** What the check-in form sends, read and checked by the listener. */
export interface FormCheckin {
  teamId: string;
  userId: string;
  competency: RubricCompetency;
  text: string;
  rating: number | null;
  needsHelp: boolean;
  isPrivate: boolean;
  evidenceUrl: string | null;
  /** The form's own id: a resubmission of the same form is stored once. */
  formId: string;
  /** Opened from a prompt's Answer button: the prompt it answers. */
  nudgeId?: string | undefined;
  /** Opened from Home's Edit: the check-in it changes. */
  checkinId?: string | undefined;
  /** Opened from an incident: the participation it reflects on, and its action item. */
  incidentId?: string | undefined;
  actionItem?: string | null;
}

export type FormSave =
  | {
      kind: 'saved';
      checkin: Checkin;
      edited: boolean;
      answered: Nudge | undefined;
      /** The incident this check-in reflects on, when the reflection was recorded. */
      reflected?: IncidentParticipation | undefined;
    }
  | { kind: 'not-joined' }
  | { kind: 'not-editable' }
  | { kind: 'private-help'; why: string };

/**
 * Saves what the form sent, in one transaction: a new check-in (answering the prompt it was
 * opened from, or else this week's), an edit of the person's own, or an incident reflection.
 */
export async function saveFormCheckin(deps: Deps, db: Db, f: FormCheckin): Promise<FormSave> {
  const why = privateHelpConflict(f);
  if (why) return { kind: 'private-help', why };
  const now = deps.now();
  const fields = {
    competency_id: f.competency.id,
    competency_name: f.competency.name,
    text: f.text,
    rating: f.rating,
    needs_help: f.needsHelp,
    private: f.isPrivate,
    evidence_url: f.evidenceUrl,
  };
  return inTransaction(db, async (tx): Promise<FormSave> => {
    const member = await getMember(tx, f.teamId, f.userId);
    if (!isJoined(member)) return { kind: 'not-joined' };
    if (f.checkinId) {
      const edited = await updateOwnCheckin(tx, f.checkinId, f.userId, fields, now);
      return edited ? { kind: 'saved', checkin: edited, edited: true, answered: undefined } : { kind: 'not-editable' };
    }
    const from = f.nudgeId ? await getNudge(tx, f.nudgeId) : undefined;
    const thisWeek = await nudgeForWeek(tx, f.teamId, f.userId, localWeek(now, member.tz));
    const answers = promptAnswered({ userId: f.userId, at: now, tz: member.tz, from, thisWeek });
    const { checkin, created } = await recordCheckin(tx, {
      ...fields,
      team_id: f.teamId,
      user_id: f.userId,
      source: 'modal',
      nudge_id: answers?.id ?? null,
      idempotency_key: `view:${f.formId}`,
      created_at: now,
      updated_at: now,
    });
    if (!created) return { kind: 'saved', checkin, edited: false, answered: undefined };
    // Only the person's own incident takes the reflection; their words are theirs to keep.
    const reflected = f.incidentId
      ? await fileReflection(tx, {
          incidentId: f.incidentId,
          userId: f.userId,
          checkinId: checkin.id,
          actionItem: f.actionItem ?? null,
          at: now,
        })
      : undefined;
    deps.metrics.checkins.inc({ source: 'modal' });
    const answered = answers ? await setNudgeOutcome(tx, answers.id, f.userId, 'answered', now) : undefined;
    return { kind: 'saved', checkin, edited: false, answered, reflected };
  });
}

export type PrivacyChange =
  | { kind: 'changed'; checkin: Checkin }
  | { kind: 'not-found' }
  | { kind: 'private-help'; why: string };

/**
 * Makes the author's own check-in just for them, or shares it again. Its on-call retro and
 * incident reflection follow, for they read the check-in's own flag. A check-in that asks for
 * help stays shared: the mentor cannot help with what they cannot see.
 */
export async function setCheckinPrivacy(
  deps: Deps,
  db: Db,
  p: { checkinId: string; userId: string; isPrivate: boolean },
): Promise<PrivacyChange> {
  const own = await getOwnCheckin(db, p.checkinId, p.userId);
  if (!own) return { kind: 'not-found' };
  const why = privateHelpConflict({ needsHelp: own.needsHelp, isPrivate: p.isPrivate });
  if (why) return { kind: 'private-help', why };
  const c = await setOwnCheckinPrivate(db, p.checkinId, p.userId, p.isPrivate, deps.now());
  return c ? { kind: 'changed', checkin: c } : { kind: 'not-found' };
}

/** Deletes the author's own recent check-in (Home's Delete, *Not a check-in*); its prompt opens again. */
export function withdrawCheckin(deps: Deps, db: Db, p: { checkinId: string; userId: string }) {
  return withdrawOwnCheckin(db, p.checkinId, p.userId, deps.now());
}

/** The DM message a check-in came from was deleted: the check-in goes too, and its prompt opens again. */
export function withdrawMessage(deps: Deps, db: Db, m: MessageRef): Promise<Withdrawn | undefined> {
  return withdrawMessageCheckin(db, m, deps.now());
}
