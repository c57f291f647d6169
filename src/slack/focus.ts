import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { IDS } from '../outbound/ids.ts';
import { focusChosenMessage, focusModal, suggestionMessage } from '../outbound/views/focus.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { agreeWithFocus, answerFocusSuggestion, chooseFocus, focusForm, suggestFocusFor } from '../services/focus.ts';
import {
  type ButtonArgs,
  type ButtonInput,
  buttonInput,
  buttonValue,
  FORM,
  formValue,
  type Guarded,
  guardAction,
  guardView,
  type SubmissionArgs,
  type ViewInput,
  viewInput,
} from './guard.ts';
import type { HomeRefresher } from './home-refresher.ts';
import type { Handlers } from './subcommand.ts';

const NOT_MENTOR = "Only this person's current mentor can answer their focus.";

/** `/growth focus`: opens the form (the trigger lasts 3 s, so before anything slow). */
export const focusHandlers = {
  focus: async (ctx) => {
    const form = await focusForm(ctx.deps, ctx.deps.db, ctx.teamId, ctx.userId);
    if (form.kind !== 'form') return joinFirst();
    await ctx.args.client.views.open({ trigger_id: ctx.args.command.trigger_id, view: focusModal(form) });
    return `Choose your focus for ${form.quarter} in the form.`;
  },
} satisfies Partial<Handlers>;

export function registerFocus(app: App, deps: Deps, homes: HomeRefresher): void {
  const button = (name: string, run: (args: ButtonArgs, g: Guarded<ButtonInput>) => Promise<void>) =>
    guardAction(deps, { name, input: buttonInput, run });
  const nameOf = competencyNamer(deps.rubrics);

  const openOwn = async (args: ButtonArgs, g: Guarded<ButtonInput>) => {
    await args.ack();
    const form = await g.db(focusForm(deps, deps.db, g.teamId, g.userId), 'reading a focus');
    if (form.kind !== 'form') return void (await dm(args.client, g.userId, joinFirst()));
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: focusModal(form) });
  };
  app.action<BlockButtonAction>(IDS.home.focus, button('Home focus button', openOwn));
  app.action<BlockButtonAction>(IDS.focus.choose, button('Choose focus button', openOwn));

  app.action<BlockButtonAction>(
    IDS.focus.suggest,
    button('Suggest focus button', async (args, g) => {
      await args.ack();
      const menteeId = buttonValue(g.input);
      const form = await g.db(focusForm(deps, deps.db, g.teamId, menteeId, g.userId), 'reading a focus');
      if (form.kind !== 'form') return void (await dm(args.client, g.userId, NOT_MENTOR));
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: focusModal({ ...form, menteeId }) });
    }),
  );

  app.action<BlockButtonAction>(
    IDS.focus.agree,
    button('Agree focus button', async (args, g) => {
      await args.ack();
      const r = await g.db(
        agreeWithFocus(deps, deps.db, { teamId: g.teamId, mentorId: g.userId, focusId: buttonValue(g.input) }),
        'agreeing a focus',
      );
      if (r.kind === 'not-mentor') return void (await dm(args.client, g.userId, NOT_MENTOR));
      if (r.kind !== 'done') return void (await dm(args.client, g.userId, 'You agreed with that focus already.'));
      await dm(args.client, g.userId, `Agreed: <@${r.focus.userId}> is told.`);
      await dm(args.client, r.focus.userId, `<@${g.userId}> agreed with your focus for ${r.focus.quarter}.`);
      homes.changed(g.teamId, r.focus.userId);
    }),
  );

  const answer = (accept: boolean) => async (args: ButtonArgs, g: Guarded<ButtonInput>) => {
    await args.ack();
    const r = await g.db(
      answerFocusSuggestion(deps, deps.db, {
        teamId: g.teamId,
        userId: g.userId,
        focusId: buttonValue(g.input),
        accept,
      }),
      'answering a suggestion',
    );
    if (r.kind !== 'done')
      return void (await dm(args.client, g.userId, 'That suggestion is answered already, or is not about your focus.'));
    await dm(args.client, g.userId, accept ? 'Your focus is now your mentor’s suggestion.' : 'You kept your focus.');
    if (r.focus.mentorId)
      await dm(
        args.client,
        r.focus.mentorId,
        `<@${g.userId}> ${accept ? 'took your suggested focus' : 'kept their own focus'} for ${r.focus.quarter}.`,
      );
    homes.changed(g.teamId, g.userId);
  };
  app.action<BlockButtonAction>(IDS.focus.accept, button('Accept suggestion button', answer(true)));
  app.action<BlockButtonAction>(IDS.focus.keep, button('Keep focus button', answer(false)));

  app.view(
    IDS.focusModal,
    guardView(deps, {
      name: 'focus form',
      input: viewInput,
      errorBlock: IDS.focus.block,
      run: async (args, g) => {
        const r = await g.db(
          chooseFocus(deps, deps.db, { teamId: g.teamId, userId: g.userId, competencyIds: chosen(g.input) }),
          'saving a focus',
        );
        if (r.kind !== 'saved') return formError(args, r.kind === 'invalid' ? r.problem : joinFirst());
        await args.ack();
        const told = r.mentorId ? ` <@${r.mentorId}> is told.` : '';
        await dm(
          args.client,
          g.userId,
          `Your focus for ${r.focus.quarter}: ${r.focus.competencyIds.map(nameOf).join(', ')}.${told}`,
        );
        if (r.mentorId)
          await args.client.chat.postMessage({ channel: r.mentorId, ...focusChosenMessage(r.focus, nameOf) });
        homes.changed(g.teamId, g.userId);
      },
    }),
  );

  app.view(
    IDS.focusSuggestModal,
    guardView(deps, {
      name: 'focus suggestion form',
      input: viewInput,
      errorBlock: IDS.focus.block,
      run: async (args, g) => {
        const menteeId = menteeOf(g.input);
        const r = await g.db(
          suggestFocusFor(deps, deps.db, {
            teamId: g.teamId,
            mentorId: g.userId,
            menteeId,
            competencyIds: chosen(g.input),
          }),
          'suggesting a focus',
        );
        if (r.kind === 'invalid') return formError(args, r.problem);
        if (r.kind !== 'done') return formError(args, NOT_MENTOR);
        await args.ack();
        await dm(args.client, g.userId, `Suggested: <@${menteeId}> can take it or keep theirs.`);
        await args.client.chat.postMessage({ channel: menteeId, ...suggestionMessage(r.focus, nameOf) });
        homes.changed(g.teamId, menteeId);
      },
    }),
  );
}

function chosen(input: ViewInput): string[] {
  return (formValue(input, IDS.focus.block, IDS.focus.action, FORM.options)?.selected_options ?? []).map(
    (o) => o.value,
  );
}

const meta = z.object({ menteeId: z.string().regex(/^[UW][A-Z0-9]{1,30}$/) });

function menteeOf(input: ViewInput): string {
  try {
    const m = meta.safeParse(JSON.parse(input.private_metadata ?? ''));
    return m.success ? m.data.menteeId : '';
  } catch {
    return '';
  }
}

async function formError(args: SubmissionArgs, text: string): Promise<void> {
  await args.ack({ response_action: 'errors', errors: { [IDS.focus.block]: text } });
}

async function dm(client: WebClient, userId: string, text: string): Promise<void> {
  await client.chat.postMessage({ channel: userId, text });
}
