import type { PlainTextOption, View } from '@slack/types';
import { CHECKIN_MAX_CHARS, RATINGS } from '../../growth/checkin.ts';
import type { RubricCompetency } from '../../rubrics/schema.ts';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';

/** What the modal carries from opening to submission (Slack's private_metadata, ≤ 3000 chars). */
export interface CheckinModalMeta {
  nudgeId?: string | undefined;
  /** Set when editing an existing check-in. */
  checkinId?: string | undefined;
  /** Where the prompt DM is, so it can be marked answered. */
  channel?: string | undefined;
  ts?: string | undefined;
  /** Set when the check-in is the reflection on an incident the member took part in. */
  incidentId?: string | undefined;
}

export interface CheckinModalInput {
  competencies: RubricCompetency[];
  competencyId?: string | undefined;
  prompt?: string | undefined;
  meta?: CheckinModalMeta;
  /** The text to start from: an edited check-in's. */
  draft?: string | undefined;
  /** The other fields of an edited check-in. */
  initial?: { rating: number | null; needsHelp: boolean; private: boolean; evidenceUrl: string | null };
  /** An incident reflection asks for the action item it led to, if any. */
  askActionItem?: boolean;
  /** The form's title and the heading above `prompt`, when it answers something else than the week's prompt. */
  title?: string;
  promptHeading?: string;
}

/** The longest action item kept from an incident reflection. */
export const ACTION_ITEM_MAX = 500;

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

function competencyOption(c: RubricCompetency): PlainTextOption {
  const group = c.level === 'shared' ? 'every level' : c.level;
  return { text: plain(clip(`${c.name} (${group})`, 75)), value: c.id };
}

export function checkinModal(input: CheckinModalInput): View {
  const { competencies, competencyId, prompt, meta = {}, initial } = input;
  const ratingOptions = RATINGS.map((r) => ({
    text: plain(`${r.value} · ${r.label}`),
    description: plain(r.detail),
    value: String(r.value),
  }));
  const initialRating = ratingOptions.find((o) => initial?.rating !== null && o.value === String(initial?.rating));
  const flagOptions = [
    { text: plain("I'd like help with this"), value: IDS.options.needsHelp },
    {
      text: plain('Just for me'),
      description: plain('Counts in your progress, but is never shown to your mentor.'),
      value: IDS.options.private,
    },
  ];
  const initialFlags = flagOptions.filter((o) =>
    o.value === IDS.options.needsHelp ? initial?.needsHelp : initial?.private,
  );
  const options = competencies.map(competencyOption);
  const initialCompetency = options.find((o) => o.value === competencyId);
  const { checkin: ids } = IDS;
  return {
    type: 'modal',
    callback_id: IDS.checkinModal,
    private_metadata: JSON.stringify(meta),
    title: plain(
      input.title ?? (meta.checkinId ? 'Edit check-in' : meta.incidentId ? 'Incident reflection' : 'Weekly check-in'),
    ),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      ...(prompt
        ? [
            {
              type: 'section' as const,
              text: {
                type: 'mrkdwn' as const,
                text: clip(`*${input.promptHeading ?? "This week's prompt"}*\n${prompt}`, 3000),
              },
            },
          ]
        : []),
      {
        type: 'input',
        block_id: ids.competencyBlock,
        label: plain('Competency'),
        element: {
          type: 'static_select',
          action_id: ids.competencyAction,
          placeholder: plain('Choose one'),
          options,
          ...(initialCompetency ? { initial_option: initialCompetency } : {}),
        },
      },
      {
        type: 'input',
        block_id: ids.textBlock,
        label: plain('What did you do or learn?'),
        element: {
          type: 'plain_text_input',
          action_id: ids.textAction,
          multiline: true,
          max_length: CHECKIN_MAX_CHARS,
          ...(input.draft ? { initial_value: input.draft.slice(0, CHECKIN_MAX_CHARS) } : {}),
          placeholder: plain('A few sentences are plenty.'),
        },
      },
      {
        type: 'input',
        block_id: ids.ratingBlock,
        optional: true,
        label: plain('How did it go? (1–4)'),
        element: {
          type: 'radio_buttons',
          action_id: ids.ratingAction,
          options: ratingOptions,
          ...(initialRating ? { initial_option: initialRating } : {}),
        },
      },
      {
        type: 'input',
        block_id: ids.optionsBlock,
        optional: true,
        label: plain('Options'),
        element: {
          type: 'checkboxes',
          action_id: ids.optionsAction,
          options: flagOptions,
          ...(initialFlags.length ? { initial_options: initialFlags } : {}),
        },
      },
      {
        type: 'input',
        block_id: ids.evidenceBlock,
        optional: true,
        label: plain('Evidence: the link the prompt names'),
        hint: plain(
          'Each prompt ends by naming what is worth linking: a PR, a dashboard, a postmortem, a runbook, a doc. ' +
            'Paste its link so your mentor can open it.',
        ),
        element: {
          type: 'url_text_input',
          action_id: ids.evidenceAction,
          ...(initial?.evidenceUrl ? { initial_value: initial.evidenceUrl } : {}),
        },
      },
      ...(input.askActionItem
        ? [
            {
              type: 'input' as const,
              block_id: IDS.incident.actionItemBlock,
              optional: true,
              label: plain('Action item, if any'),
              hint: plain('In a month I will ask whether it shipped, and whether the failure came back.'),
              element: {
                type: 'plain_text_input' as const,
                action_id: IDS.incident.actionItemAction,
                max_length: ACTION_ITEM_MAX,
              },
            },
          ]
        : []),
    ],
  };
}
