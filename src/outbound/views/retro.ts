import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';
import type { SlackMessage } from './prompt-message.ts';

/** The longest alert name or handover line kept. */
export const RETRO_TEXT_MAX = 500;

function shiftSpan(s: { startsAt: Date; endsAt: Date }, tz: string): string {
  const f = (d: Date) => DateTime.fromJSDate(d, { zone: tz }).toFormat('ccc d LLL HH:mm');
  return `${f(s.startsAt)} – ${f(s.endsAt)}`;
}

/** Within a day after a shift: a two-minute retro. */
export function retroMessage(shift: { id: string; startsAt: Date; endsAt: Date }, tz: string): SlackMessage {
  const text = `Your on-call shift is over (${shiftSpan(shift, tz)}). Two minutes for a retro while it is fresh: how many pages, how many needed action, the toil, one alert to delete or fix, and a line of handover.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: `retro_${shift.id}`,
        elements: [
          {
            type: 'button',
            style: 'primary',
            text: plain('Fill in the retro'),
            action_id: IDS.retro.open,
            value: shift.id,
          },
        ],
      },
    ],
  };
}

function numberInput(block: string, action: string, label: string, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: { type: 'number_input', action_id: action, is_decimal_allowed: false, min_value: '0' },
  };
}

function textInput(block: string, action: string, label: string, optional: boolean): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    optional,
    label: plain(label),
    element: { type: 'plain_text_input', action_id: action, max_length: RETRO_TEXT_MAX },
  };
}

export function retroModal(shift: { id: string; startsAt: Date; endsAt: Date }, tz: string): View {
  const r = IDS.retro;
  return {
    type: 'modal',
    callback_id: IDS.retroModal,
    private_metadata: JSON.stringify({ shiftId: shift.id }),
    title: plain('On-call retro'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Shift: ${shiftSpan(shift, tz)}` }] },
      numberInput(r.pagesBlock, r.pagesAction, 'Pages'),
      numberInput(r.actionableBlock, r.actionableAction, 'How many needed action', 'The rest were noise.'),
      numberInput(r.toilBlock, r.toilAction, 'Hours of toil'),
      textInput(r.alertBlock, r.alertAction, 'One alert to delete or fix', true),
      textInput(r.handoverBlock, r.handoverAction, 'A line of handover', false),
      {
        type: 'input',
        block_id: r.optionsBlock,
        optional: true,
        label: plain('Options'),
        element: {
          type: 'checkboxes',
          action_id: r.optionsAction,
          options: [
            {
              text: plain('Just for me'),
              description: plain('Counted for your mentor, never quoted.'),
              value: IDS.options.private,
            },
          ],
        },
      },
    ],
  };
}
