import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { recordCheckin } from '../db/checkins.ts';
import { getMember, isJoined } from '../db/members.ts';
import { ownShift, saveRetro } from '../db/retros.ts';
import type { Deps } from '../deps.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { checkRetroNumbers } from '../growth/oncall.ts';
import { IDS } from '../outbound/ids.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { RETRO_TEXT_MAX, retroModal } from '../outbound/views/retro.ts';
import { oncallPrompts } from '../rubrics/extras.ts';
import type { Level } from '../rubrics/schema.ts';
import {
  type ButtonArgs,
  FORM,
  formValue,
  type Guarded,
  guardAction,
  guardView,
  type SubmissionArgs,
  type ViewInput,
  viewInput,
} from './guard.ts';

const buttonInput = z.object({
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().max(40).optional() })).min(1),
});
const metaSchema = z.object({ shiftId: z.string().regex(/^\d{1,18}$/) });
class AlreadyFiled extends Error {}

export function registerRetro(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(
    IDS.retro.open,
    guardAction(deps, { name: 'retro button', input: buttonInput, run: (args) => openRetro(deps, args) }),
  );
  app.view(
    IDS.retroModal,
    guardView(deps, {
      name: 'retro form',
      input: viewInput,
      errorBlock: IDS.retro.handoverBlock,
      run: handleRetroSubmission,
    }),
  );
}

async function openRetro(deps: Deps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, client } = args;
  const shift = await ownShift(deps.db, args.action.value ?? '', body.user.id);
  const member = shift ? await getMember(deps.db, shift.team_id, shift.user_id) : undefined;
  if (!shift || !member) {
    await client.chat.postMessage({
      channel: body.user.id,
      text: 'That shift is no longer in your feed. Use `/checkin` to record anything from it.',
    });
    return;
  }
  await client.views.open({ trigger_id: body.trigger_id, view: retroModal(shift, member.tz) });
}

/** Validates the numbers (whole, from 0, actionable ≤ pages), then stores them as numbers with a check-in beside them. */
export async function handleRetroSubmission(
  { ack, view, client }: SubmissionArgs,
  g: Guarded<ViewInput>,
): Promise<void> {
  const r = IDS.retro;
  const text = (block: string, action: string) => formValue(g.input, block, action, FORM.text)?.value ?? null;
  const check = checkRetroNumbers({
    pages: text(r.pagesBlock, r.pagesAction),
    actionable: text(r.actionableBlock, r.actionableAction),
    toilHours: text(r.toilBlock, r.toilAction),
  });
  const alert = text(r.alertBlock, r.alertAction)?.trim() || null;
  const handover = text(r.handoverBlock, r.handoverAction)?.trim() || null;
  const errors: Record<string, string> = {};
  if (!check.ok) {
    if (check.errors.pages) errors[r.pagesBlock] = check.errors.pages;
    if (check.errors.actionable) errors[r.actionableBlock] = check.errors.actionable;
    if (check.errors.toilHours) errors[r.toilBlock] = check.errors.toilHours;
  }
  if (!handover) errors[r.handoverBlock] = 'One line for whoever is on call next.';
  if ((alert?.length ?? 0) > RETRO_TEXT_MAX || (handover?.length ?? 0) > RETRO_TEXT_MAX)
    errors[r.handoverBlock] = `At most ${RETRO_TEXT_MAX} characters each.`;
  let meta: z.infer<typeof metaSchema> | undefined;
  try {
    meta = metaSchema.parse(JSON.parse(g.input.private_metadata || '{}'));
  } catch {
    meta = undefined;
  }
  if (!check.ok || !meta || Object.keys(errors).length) {
    await ack({
      response_action: 'errors',
      errors: Object.keys(errors).length
        ? errors
        : { [r.handoverBlock]: 'This form lost track of its shift; open it again from the message.' },
    });
    return;
  }
  const isPrivate = (formValue(g.input, r.optionsBlock, r.optionsAction, FORM.options)?.selected_options ?? []).some(
    (o) => o.value === IDS.options.private,
  );
  const { deps } = g;
  const now = deps.now();
  const saved = await g.db(
    (async () => {
      const [shift, member] = await Promise.all([
        ownShift(deps.db, meta.shiftId, g.userId),
        getMember(deps.db, g.teamId, g.userId),
      ]);
      if (!isJoined(member)) return joinFirst();
      if (!shift) return 'That shift is no longer in your feed, so this retro cannot be filed under it.';
      const n = check.numbers;
      const competencies = checkinCompetencies(deps.rubrics, member.level as Level);
      const competency =
        oncallPrompts(deps.rubrics, member.level as Level)[0]?.competency ??
        competencies.find((c) => /incident|oncall/.test(c.id));
      const words = `On-call retro: ${n.pages} pages, ${n.actionable} needed action, ${n.toilHours} h of toil.${alert ? ` Alert to delete or fix: ${alert}.` : ''} Handover: ${handover}`;
      const filed = await deps.db
        .transaction()
        .execute(async (tx) => {
          const { checkin } = await recordCheckin(tx, {
            team_id: g.teamId,
            user_id: g.userId,
            competency_id: competency?.id ?? null,
            competency_name: competency?.name ?? null,
            text: words.slice(0, 3000),
            rating: null,
            evidence_url: null,
            private: isPrivate,
            source: 'modal',
            nudge_id: null,
            idempotency_key: `view:${view.id}`,
            created_at: now,
            updated_at: now,
          });
          const retro = await saveRetro(tx, {
            team_id: g.teamId,
            user_id: g.userId,
            shift_id: shift.id,
            shift_starts_at: shift.starts_at,
            shift_ends_at: shift.ends_at,
            checkin_id: checkin.id,
            pages: n.pages,
            actionable: n.actionable,
            toil_hours: n.toilHours,
            alert_to_fix: alert,
            handover,
            private: isPrivate,
            created_at: now,
          });
          // Filed before: keep that one, and store no second check-in.
          if (!retro) throw new AlreadyFiled();
        })
        .then(
          () => true,
          (err: unknown) => {
            if (err instanceof AlreadyFiled) return false;
            throw err;
          },
        );
      return filed ? null : 'You already filed the retro for this shift; it is kept as it was.';
    })(),
    'saving a retro',
  );
  if (saved) {
    await ack({ response_action: 'errors', errors: { [r.handoverBlock]: saved } });
    return;
  }
  await ack();
  await client.chat.postMessage({
    channel: g.userId,
    text: 'Retro saved. Thank you! Your mentor sees the numbers in their Friday digest (never the words if it is just for you).',
  });
}
