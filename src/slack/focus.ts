import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { IDS } from '../outbound/ids.ts';
import { focusChosenMessage, focusModal, suggestionMessage } from '../outbound/views/focus.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { agreeWithFocus, answerFocusSuggestion, chooseFocus, focusForm, suggestFocusFor } from '../services/focus.ts';
import { USER_ID } from '../slack-ids.ts';
import {
  type ButtonAnswer,
  type ButtonInput,
  buttonInput,
  buttonValue,
  FORM,
  formErrors,
  formMeta,
  formValue,
  type Guarded,
  guardAction,
  guardView,
  openView,
  reply,
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
    if (ctx.triggerId) await ctx.slack.views.open({ trigger_id: ctx.triggerId, view: focusModal(form) });
    return `Choose your focus for ${form.quarter} in the form.`;
  },
} satisfies Partial<Handlers>;

export function registerFocus(app: App, deps: Deps, homes: HomeRefresher): void {
  const button = (name: string, run: (g: Guarded<ButtonInput>) => Promise<ButtonAnswer>) =>
    guardAction(deps, { name, input: buttonInput, run });
  const nameOf = competencyNamer(deps.rubrics);
  const dm = (g: Guarded<unknown>, userId: string, text: string) =>
    g.slack.chat.postMessage({ channel: userId, text }).then(() => undefined);

  const openOwn = async (g: Guarded<ButtonInput>): Promise<ButtonAnswer> => {
    const form = await g.db(focusForm(deps, deps.db, g.teamId, g.userId), 'reading a focus');
    if (form.kind !== 'form') return reply(joinFirst());
    return openView(focusModal(form));
  };
  app.action<BlockButtonAction>(IDS.home.focus, button('Home focus button', openOwn));
  app.action<BlockButtonAction>(IDS.focus.choose, button('Choose focus button', openOwn));

  app.action<BlockButtonAction>(
    IDS.focus.suggest,
    button('Suggest focus button', async (g) => {
      const menteeId = buttonValue(g.input);
      const form = await g.db(focusForm(deps, deps.db, g.teamId, menteeId, g.userId), 'reading a focus');
      if (form.kind !== 'form') return reply(NOT_MENTOR);
      return openView(focusModal({ ...form, menteeId }));
    }),
  );

  app.action<BlockButtonAction>(
    IDS.focus.agree,
    button('Agree focus button', async (g) => {
      const r = await g.db(
        agreeWithFocus(deps, deps.db, { teamId: g.teamId, mentorId: g.userId, focus: buttonValue(g.input) }),
        'agreeing a focus',
      );
      if (r.kind === 'not-mentor') return reply(NOT_MENTOR);
      if (r.kind === 'changed')
        return reply('They have chosen another focus since: agree to it from the newer message, if you do.');
      if (r.kind !== 'done') return reply('You agreed with that focus already.');
      return reply(`Agreed: <@${r.focus.userId}> is told.`, {
        after: async () => {
          await dm(g, r.focus.userId, `<@${g.userId}> agreed with your focus for ${r.focus.quarter}.`);
          homes.changed(g.teamId, r.focus.userId);
        },
      });
    }),
  );

  const answer =
    (accept: boolean) =>
    async (g: Guarded<ButtonInput>): Promise<ButtonAnswer> => {
      const r = await g.db(
        answerFocusSuggestion(deps, deps.db, {
          teamId: g.teamId,
          userId: g.userId,
          focusId: buttonValue(g.input),
          accept,
        }),
        'answering a suggestion',
      );
      if (r.kind === 'lapsed')
        return reply('That suggestion came from someone who is no longer your mentor: your focus stays as it is.');
      if (r.kind !== 'done') return reply('That suggestion is answered already, or is not about your focus.');
      return reply(accept ? 'Your focus is now your mentor’s suggestion.' : 'You kept your focus.', {
        after: async () => {
          if (r.focus.mentorId)
            await dm(
              g,
              r.focus.mentorId,
              `<@${g.userId}> ${accept ? 'took your suggested focus' : 'kept their own focus'} for ${r.focus.quarter}.`,
            );
          homes.changed(g.teamId, g.userId);
        },
      });
    };
  app.action<BlockButtonAction>(IDS.focus.accept, button('Accept suggestion button', answer(true)));
  app.action<BlockButtonAction>(IDS.focus.keep, button('Keep focus button', answer(false)));

  app.view(
    IDS.focusModal,
    guardView(deps, {
      name: 'focus form',
      input: viewInput,
      errorBlock: IDS.focus.block,
      run: async (g) => {
        const r = await g.db(
          chooseFocus(deps, deps.db, { teamId: g.teamId, userId: g.userId, competencyIds: chosen(g.input) }),
          'saving a focus',
        );
        if (r.kind !== 'saved') return formError(r.kind === 'invalid' ? r.problem : joinFirst());
        const told = r.mentorId ? ` <@${r.mentorId}> is told.` : '';
        return reply(`Your focus for ${r.focus.quarter}: ${r.focus.competencyIds.map(nameOf).join(', ')}.${told}`, {
          after: async () => {
            if (r.mentorId)
              await g.slack.chat.postMessage({ channel: r.mentorId, ...focusChosenMessage(r.focus, nameOf) });
            homes.changed(g.teamId, g.userId);
          },
        });
      },
    }),
  );

  app.view(
    IDS.focusSuggestModal,
    guardView(deps, {
      name: 'focus suggestion form',
      input: viewInput,
      errorBlock: IDS.focus.block,
      run: async (g) => {
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
        if (r.kind === 'invalid') return formError(r.problem);
        if (r.kind !== 'done') return formError(NOT_MENTOR);
        return reply(`Suggested: <@${menteeId}> can take it or keep theirs.`, {
          after: async () => {
            await g.slack.chat.postMessage({ channel: menteeId, ...suggestionMessage(r.focus, nameOf) });
            homes.changed(g.teamId, menteeId);
          },
        });
      },
    }),
  );
}

function chosen(input: ViewInput): string[] {
  return (formValue(input, IDS.focus.block, IDS.focus.action, FORM.options)?.selected_options ?? []).map(
    (o) => o.value,
  );
}

const meta = z.object({ menteeId: z.string().regex(USER_ID) });

function menteeOf(input: ViewInput): string {
  return formMeta(meta, input.private_metadata)?.menteeId ?? '';
}

const formError = (text: string) => formErrors({ [IDS.focus.block]: text });
