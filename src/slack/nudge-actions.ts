import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { getMember, isJoined, setPaused } from '../db/members.ts';
import { getNudge, nudgeMessage, setNudgeOutcome } from '../db/nudges.ts';
import type { Nudge } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { promptLabel } from '../growth/extra-prompts.ts';
import { formatLocalDate, pauseUntil } from '../growth/pause.ts';
import { IDS } from '../outbound/ids.ts';
import { checkinModal } from '../outbound/views/checkin-modal.ts';
import { pauseModal } from '../outbound/views/pause-modal.ts';
import { promptMessage, settledPromptMessage } from '../outbound/views/prompt-message.ts';
import {
  type ButtonAnswer,
  type ButtonInput,
  buttonInput,
  buttonValue,
  done,
  FORM,
  type FormAnswer,
  formErrors,
  formValue,
  type Guarded,
  guardAction,
  guardView,
  openView,
  reply,
  type ViewInput,
  viewInput,
} from './guard.ts';

export function registerNudgeActions(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(
    IDS.nudge.answer,
    guardAction(deps, { name: 'Answer button', input: buttonInput, run: handleAnswer }),
  );
  app.action<BlockButtonAction>(
    IDS.nudge.skip,
    guardAction(deps, { name: 'Skip button', input: buttonInput, run: handleSkip }),
  );
  app.action<BlockButtonAction>(
    IDS.nudge.pause,
    guardAction(deps, { name: 'Pause button', input: buttonInput, run: openPauseForm }),
  );
  app.view(
    IDS.pauseModal,
    guardView(deps, {
      name: 'pause form',
      input: viewInput,
      errorBlock: IDS.pause.weeksBlock,
      run: handlePauseSubmission,
    }),
  );
}

/** The nudge a button names, only if it is the clicking person's own. */
async function ownNudge(g: Guarded<ButtonInput>): Promise<Nudge | undefined> {
  const nudge = await g.db(getNudge(g.deps.db, buttonValue(g.input)), 'reading a prompt');
  return nudge && nudge.userId === g.userId ? nudge : undefined;
}

/**
 * Turns the prompt DM (and the reminder, when that is where the click came from) into its
 * settled form with no buttons, so a second click has nothing to press. Best effort: the
 * outcome is already stored when this runs.
 */
export async function showSettled(
  deps: Deps,
  client: WebClient,
  nudge: Nudge,
  clicked?: { channel?: string | undefined; ts?: string | undefined },
): Promise<void> {
  if (nudge.outcome !== 'answered' && nudge.outcome !== 'skipped') return;
  const prompt = await nudgeMessage(deps.db, nudge.id);
  const targets = new Map<string, string>();
  if (prompt?.channel && prompt.messageTs) targets.set(prompt.messageTs, prompt.channel);
  if (clicked?.channel && clicked.ts) targets.set(clicked.ts, clicked.channel);
  const settled = settledPromptMessage(
    {
      nudgeId: nudge.id,
      level: nudge.level,
      competency: deps.rubrics.byId.get(nudge.competencyId),
      promptText: nudge.promptText,
      label: promptLabel(deps.rubrics, nudge.promptId),
    },
    nudge.outcome,
  );
  for (const [ts, channel] of targets) {
    try {
      await client.chat.update({ channel, ts, text: settled.text, blocks: settled.blocks });
    } catch (err) {
      deps.logger.warn({ err, nudgeId: nudge.id }, 'could not update the prompt DM');
    }
  }
}

/** The prompt DM with its buttons again, once its only answer was taken back. Best effort. */
export async function showOpen(deps: Deps, client: WebClient, nudge: Nudge): Promise<void> {
  const where = await nudgeMessage(deps.db, nudge.id);
  if (!where?.channel || !where.messageTs) return;
  const competency = deps.rubrics.byId.get(nudge.competencyId);
  const open = promptMessage({
    nudgeId: nudge.id,
    level: nudge.level,
    competency,
    promptText: nudge.promptText,
    label: promptLabel(deps.rubrics, nudge.promptId),
  });
  try {
    await client.chat.update({ channel: where.channel, ts: where.messageTs, text: open.text, blocks: open.blocks });
  } catch (err) {
    deps.logger.warn({ err, nudgeId: nudge.id }, 'could not reopen the prompt DM');
  }
}

async function handleAnswer(g: Guarded<ButtonInput>): Promise<ButtonAnswer> {
  const { input } = g;
  const nudge = await ownNudge(g);
  const member = nudge ? await g.db(getMember(g.deps.db, nudge.teamId, g.userId), 'reading a member') : undefined;
  if (!nudge || !isJoined(member))
    return reply('That prompt is no longer open for answers. Use `/checkin` to record anything you did.');
  return openView(
    checkinModal({
      competencies: checkinCompetencies(g.deps.rubrics, member.level),
      competencyId: nudge.competencyId,
      prompt: nudge.promptText,
      meta: {
        nudgeId: nudge.id,
        channel: input.channel?.id ?? input.container?.channel_id,
        ts: input.message?.ts ?? input.container?.message_ts,
      },
    }),
  );
}

async function handleSkip(g: Guarded<ButtonInput>): Promise<ButtonAnswer> {
  const own = await ownNudge(g);
  if (!own) return done();
  const nudge = await g.db(
    setNudgeOutcome(g.deps.db, own.id, own.userId, 'skipped', g.deps.now()),
    'skipping a prompt',
  );
  if (nudge) await showSettled(g.deps, g.slack, nudge, { channel: g.input.channel?.id, ts: g.input.message?.ts });
  return done();
}

/** The pause form, from the prompt DM or Home. */
export async function openPauseForm(): Promise<ButtonAnswer> {
  return openView(pauseModal());
}

/** The pause form: validated in the ack; the write raced against the deadline. */
async function handlePauseSubmission(g: Guarded<ViewInput>): Promise<FormAnswer> {
  const p = IDS.pause;
  const weeks = formValue(g.input, p.weeksBlock, p.weeksAction, FORM.option)?.selected_option?.value || null;
  const date = formValue(g.input, p.untilBlock, p.untilAction, FORM.date)?.selected_date || null;
  if (!weeks && !date) return formErrors({ [p.weeksBlock]: 'Choose how long, or pick a date below.' });
  const member = await g.db(getMember(g.deps.db, g.teamId, g.userId), 'reading a member');
  if (!isJoined(member))
    return formErrors({ [p.weeksBlock]: 'Join first with `/growth join <level>`; then you can pause.' });
  const now = g.deps.now();
  const until = pauseUntil(date ?? weeks, now, member.tz);
  if (!until.ok) return formErrors({ [date ? p.untilBlock : p.weeksBlock]: until.problem });
  await g.db(setPaused(g.deps.db, member.teamId, member.userId, until.until, now), 'pausing');
  return reply(
    `Paused. No prompts until ${formatLocalDate(until.until, member.tz)}; \`/growth resume\` brings them back sooner.`,
  );
}
