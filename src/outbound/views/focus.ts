import type { View } from '@slack/types';
import type { Focus, FocusWithStats } from '../../db/focus.ts';
import { MAX_FOCUS } from '../../growth/focus.ts';
import type { RubricCompetency } from '../../rubrics/schema.ts';
import { IDS } from '../ids.ts';
import { button, plain, withButtons } from './plain-text.ts';
import { clip, escapeText } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

type NameOf = (id: string | null) => string;

const names = (ids: readonly string[], nameOf: NameOf) => ids.map((id) => escapeText(nameOf(id))).join(', ');

/**
 * The focus form: up to MAX_FOCUS competencies from the member's level, the shared ones and the
 * next level. The mentor's "Suggest another" is the same form about their mentee.
 */
export function focusModal(input: {
  choices: readonly RubricCompetency[];
  initial: readonly string[];
  quarter: string;
  /** Set for the mentor's suggestion: whose focus it is about. */
  menteeId?: string;
}): View {
  const options = input.choices.map((c) => ({
    text: plain(clip(`${c.name} (${c.level})`, 75)),
    value: c.id,
  }));
  const initial = options.filter((o) => input.initial.includes(o.value));
  const suggest = input.menteeId !== undefined;
  return {
    type: 'modal',
    callback_id: suggest ? IDS.focusSuggestModal : IDS.focusModal,
    title: plain(suggest ? 'Suggest a focus' : 'Your focus'),
    submit: plain(suggest ? 'Suggest' : 'Save'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(suggest ? { menteeId: input.menteeId } : {}),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: suggest
            ? `What should <@${input.menteeId}> focus on in ${input.quarter}? They can take your suggestion or keep theirs.`
            : `Choose up to ${MAX_FOCUS} competencies to focus on in ${input.quarter}. About two prompts in three will be on them; your mentor is told.`,
        },
      },
      {
        type: 'input',
        block_id: IDS.focus.block,
        label: plain('Competencies'),
        element: {
          type: 'multi_static_select',
          action_id: IDS.focus.action,
          max_selected_items: MAX_FOCUS,
          options: options.slice(0, 100),
          ...(initial.length ? { initial_options: initial } : {}),
        },
      },
    ],
  };
}

/** What an Agree button carries: the focus and the choice it was sent for (`id:a,b,c`). */
export const agreeValue = (f: { id: string; competencyIds: readonly string[] }) =>
  `${f.id}:${f.competencyIds.join(',')}`;

/** To the mentor: their mentee chose a focus; Agree or Suggest another. */
export function focusChosenMessage(f: Focus, nameOf: NameOf): SlackMessage {
  const text = `<@${f.userId}> chose their focus for ${f.quarter}: ${names(f.competencyIds, nameOf)}.`;
  return withButtons(text, [
    button('Agree', IDS.focus.agree, agreeValue(f), 'primary'),
    button('Suggest another', IDS.focus.suggest, f.userId),
  ]);
}

/** To the member: their mentor suggests another focus; take it or keep theirs. */
export function suggestionMessage(f: Focus, nameOf: NameOf): SlackMessage {
  const mine = f.competencyIds.length ? ` Yours: ${names(f.competencyIds, nameOf)}.` : '';
  const text = `<@${f.mentorId}> suggests this focus for ${f.quarter}: ${names(f.suggestedIds ?? [], nameOf)}.${mine}`;
  return withButtons(text, [
    button('Take it', IDS.focus.accept, f.id, 'primary'),
    ...(f.competencyIds.length ? [button('Keep mine', IDS.focus.keep, f.id)] : []),
  ]);
}

const STATUS: Record<Focus['status'], string> = {
  chosen: 'not yet agreed',
  agreed: 'agreed with their mentor',
  suggested: 'a suggestion is waiting',
  kept: 'kept after a suggestion',
};

/**
 * One line per focus competency: check-ins this quarter and the latest rating among them. `own`:
 * the member reads it themself (their Home, their summary), so it is *your* mentor.
 */
export function focusLines(f: FocusWithStats | undefined, nameOf: NameOf, own = false): string[] {
  if (!f?.stats.length) return [];
  const status = own && f.status === 'agreed' ? 'agreed with your mentor' : STATUS[f.status];
  return [
    `*Focus ${f.quarter}* (${status})`,
    ...f.stats.map(
      (s) =>
        `:dart: ${escapeText(nameOf(s.competencyId))} · ${s.checkins} check-in${s.checkins === 1 ? '' : 's'} · rating ${s.latestRating ?? '–'}`,
    ),
  ];
}

function resolvedLine(resolved: readonly (string | null)[], nameOf: NameOf): string[] {
  if (!resolved.length) return [];
  const names = [...new Set(resolved.map((id) => escapeText(nameOf(id))))];
  const n = resolved.length;
  return [`:white_check_mark: ${n} help request${n === 1 ? '' : 's'} resolved: ${names.join(', ')}`];
}

/** The quarter review: check-ins per focus, ratings, resolved help requests, and a button for the next focus. */
export function focusReviewMessage(input: {
  focus: FocusWithStats;
  /** Who reads it: the member, or their mentor. */
  forMentor: boolean;
  /** The competency of each help request resolved in the quarter. */
  resolvedHelp: readonly (string | null)[];
  nameOf: NameOf;
}): SlackMessage {
  const { focus: f, forMentor } = input;
  const who = forMentor ? `<@${f.userId}>'s` : 'Your';
  const lines = [
    `*${who} focus in ${f.quarter}*`,
    ...focusLines(f, input.nameOf).slice(1),
    ...resolvedLine(input.resolvedHelp, input.nameOf),
    forMentor ? 'What should they focus on next?' : 'Time to choose your next focus.',
  ];
  const text = clip(lines.join('\n'), 3000);
  return withButtons(text, [
    forMentor
      ? button('Suggest a focus', IDS.focus.suggest, f.userId)
      : button('Choose my focus', IDS.focus.choose, 'review', 'primary'),
  ]);
}
