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

export function registerRetro(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(
    IDS.retro.open,
    guardAction(deps, { name: 'retro button', input: buttonInput, handle: (args) => openRetro(deps, args) }),
  );
  app.view(
    IDS.retroModal,
    guardView(deps, {
      name: 'retro form',
      input: viewInput,
      errorBlock: IDS.retro.handoverBlock,
      handle: handleRetroSubmission,
    }),
  );
}

async function openRetro(deps: Deps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, client } = args;
  const shift = await retroStretch(deps.db, args.action.value ?? '', body.user.id);
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
async function handleRetroSubmission({ ack, view, client }: SubmissionArgs, g: Guarded<ViewInput>): Promise<void> {
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
  const result = await g.db(
    fileRetro(g.deps, g.deps.db, {
      teamId: g.teamId,
      userId: g.userId,
      shiftId: meta.shiftId,
      numbers: check.numbers,
      alertToFix: alert,
      handover: handover!,
      isPrivate,
      formId: view.id,
    }),
    'saving a retro',
  );
  const refusal = {
    filed: null,
    'not-joined': joinFirst(),
    'no-shift': 'That shift is no longer in your feed, so this retro cannot be filed under it.',
    'filed-before': 'You already filed the retro for this shift; it is kept as it was.',
  }[result.kind];
  if (refusal) {
    await ack({ response_action: 'errors', errors: { [r.handoverBlock]: refusal } });
    return;
  }
  await ack();
  await client.chat.postMessage({
    channel: g.userId,
    text: isPrivate
      ? 'Retro saved, just for you: your mentor sees nothing of it. Thank you!'
      : 'Retro saved. Thank you! Your mentor sees its numbers and words in their Friday digest.',
  });
}
