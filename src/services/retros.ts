import { recordCheckin } from '../db/checkins.ts';
import { type Db, inTransaction } from '../db/create-db.ts';
import { getMember, isJoined } from '../db/members.ts';
import { ownShift, saveRetro } from '../db/retros.ts';
import { memberShiftsBetween } from '../db/shifts.ts';
import type { Deps } from '../deps.ts';
import { CHECKIN_MAX_CHARS } from '../growth/checkin.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { type RetroNumbers, retroCompetency, STRETCH_LOOKAROUND_MS, stretchOf } from '../growth/oncall.ts';
import { oncallPrompts } from '../rubrics/extras.ts';

/** A retro as the form sends it, its numbers already checked. */
export interface RetroInput {
  teamId: string;
  userId: string;
  shiftId: string;
  numbers: RetroNumbers;
  alertToFix: string | null;
  handover: string;
  isPrivate: boolean;
  /** The form's own id: a resubmission is stored once. */
  formId: string;
}

/** The on-call stretch a member's shift belongs to (overlapping or back-to-back shifts are one). */
export async function retroStretch(db: Db, shiftId: string, userId: string) {
  const shift = await ownShift(db, shiftId, userId);
  if (!shift) return undefined;
  const around = await memberShiftsBetween(db, [{ teamId: shift.teamId, userId }], {
    from: new Date(shift.startsAt.getTime() - STRETCH_LOOKAROUND_MS),
    to: new Date(shift.endsAt.getTime() + STRETCH_LOOKAROUND_MS),
  });
  const stretch = stretchOf(around, shift.id);
  return {
    id: stretch?.shifts[0]?.id ?? shift.id,
    teamId: shift.teamId,
    userId,
    startsAt: stretch?.startsAt ?? shift.startsAt,
    endsAt: stretch?.endsAt ?? shift.endsAt,
  };
}

export type RetroResult = { kind: 'filed' } | { kind: 'not-joined' } | { kind: 'no-shift' } | { kind: 'filed-before' };

class FiledBefore extends Error {}

/**
 * Files an on-call retro: its numbers, and a check-in holding the words, in one transaction.
 * The retro has no privacy of its own: it is private when its check-in is (`db/privacy.ts`),
 * so changing the check-in later (Home's Edit) changes what the mentor sees of the retro.
 */
export async function fileRetro(deps: Deps, db: Db, r: RetroInput): Promise<RetroResult> {
  const now = deps.now();
  try {
    return await inTransaction(db, async (tx): Promise<RetroResult> => {
      // The retro covers the whole stretch the shift belongs to: filed once, whichever shift it names.
      const shift = await retroStretch(tx, r.shiftId, r.userId);
      const member = await getMember(tx, r.teamId, r.userId);
      if (!isJoined(member)) return { kind: 'not-joined' };
      if (!shift) return { kind: 'no-shift' };
      const competency = retroCompetency(
        oncallPrompts(deps.rubrics, member.level).map((p) => p.competency),
        checkinCompetencies(deps.rubrics, member.level),
      );
      const n = r.numbers;
      const words = `On-call retro: ${n.pages} pages, ${n.actionable} needed action, ${n.toilHours} h of toil.${r.alertToFix ? ` Alert to delete or fix: ${r.alertToFix}.` : ''} Handover: ${r.handover}`;
      const { checkin } = await recordCheckin(tx, {
        team_id: r.teamId,
        user_id: r.userId,
        competency_id: competency?.id ?? null,
        competency_name: competency?.name ?? null,
        text: [...words].slice(0, CHECKIN_MAX_CHARS).join(''),
        rating: null,
        evidence_url: null,
        private: r.isPrivate,
        source: 'modal',
        nudge_id: null,
        idempotency_key: `view:${r.formId}`,
        created_at: now,
        updated_at: now,
      });
      const retro = await saveRetro(tx, {
        team_id: r.teamId,
        user_id: r.userId,
        shift_id: shift.id,
        shift_starts_at: shift.startsAt,
        shift_ends_at: shift.endsAt,
        checkin_id: checkin.id,
        pages: n.pages,
        actionable: n.actionable,
        toil_hours: n.toilHours,
        alert_to_fix: r.alertToFix,
        handover: r.handover,
        created_at: now,
      });
      // Filed before: keep that one, and store no second check-in.
      if (!retro) throw new FiledBefore();
      return { kind: 'filed' };
    });
  } catch (err) {
    if (err instanceof FiledBefore) return { kind: 'filed-before' };
    throw err;
  }
}
