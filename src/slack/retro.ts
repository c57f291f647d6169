import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { getMember } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { checkRetroNumbers } from '../growth/oncall.ts';
import { IDS } from '../outbound/ids.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { RETRO_TEXT_MAX, retroModal } from '../outbound/views/retro.ts';
import { fileRetro, retroStretch } from '../services/retros.ts';
import {
  type ButtonAnswer,
  FORM,
  type FormAnswer,
  formErrors,
  formMeta,
  formValue,
  type Guarded,
  guardAction,
  guardView,
  openView,
  reply,
  type SavingViewInput,
  savingViewInput,
} from './guard.ts';

const buttonInput = z.object({
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().max(40).optional() })).min(1),
});
const metaSchema = z.object({ shiftId: z.string().regex(/^\d{1,18}$/) });

export function registerRetro(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(
    IDS.retro.open,
    guardAction(deps, { name: 'retro button', input: buttonInput, run: openRetro }),
  );
  app.view(
    IDS.retroModal,
    guardView(deps, {
      name: 'retro form',
      input: savingViewInput,
      errorBlock: IDS.retro.handoverBlock,
      run: handleRetroSubmission,
    }),
  );
}

async function openRetro(g: Guarded<z.infer<typeof buttonInput>>): Promise<ButtonAnswer> {
  const shift = await g.db(retroStretch(g.deps.db, g.input.actions[0]?.value ?? '', g.userId), 'reading a shift');
  const member = shift ? await g.db(getMember(g.deps.db, shift.teamId, shift.userId), 'reading a member') : undefined;
  if (!shift || !member)
    return reply('That shift is no longer in your feed. Use `/checkin` to record anything from it.');
  return openView(retroModal(shift, member.tz));
}

/** Validates the numbers (whole, from 0, actionable ≤ pages), then stores them as numbers with a check-in beside them. */
async function handleRetroSubmission(g: Guarded<SavingViewInput>): Promise<FormAnswer> {
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
  const meta = formMeta(metaSchema, g.input.private_metadata);
  if (!check.ok || !meta || Object.keys(errors).length)
    return formErrors(
      Object.keys(errors).length
        ? errors
        : { [r.handoverBlock]: 'This form lost track of its shift; open it again from the message.' },
    );
  const isPrivate = (formValue(g.input, r.optionsBlock, r.optionsAction, FORM.options)?.selected_options ?? []).some(
    (o) => o.value === IDS.options.private,
  );
  const result = await g.db(
    fileRetro(g.deps, g.deps.db, {
      teamId: g.teamId,
      userId: g.userId,
      shiftId: meta.shiftId,
      numbers: check.numbers,
      alertToFix: alert,
      handover: handover!,
      isPrivate,
      formId: g.input.id,
    }),
    'saving a retro',
  );
  const refusal = {
    filed: null,
    'not-joined': joinFirst(),
    'no-shift': 'That shift is no longer in your feed, so this retro cannot be filed under it.',
    'filed-before': 'You already filed the retro for this shift; it is kept as it was.',
  }[result.kind];
  if (refusal) return formErrors({ [r.handoverBlock]: refusal });
  return reply(
    isPrivate
      ? 'Retro saved, just for you: your mentor sees nothing of it. Thank you!'
      : 'Retro saved. Thank you! Your mentor sees its numbers and words in their Friday digest.',
  );
}
