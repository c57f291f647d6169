import type { View } from '@slack/types';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';

/** "Pause…" from the prompt DM: 1–4 weeks, or until a date. */
export function pauseModal(): View {
  const p = IDS.pause;
  return {
    type: 'modal',
    callback_id: IDS.pauseModal,
    title: plain('Pause prompts'),
    submit: plain('Pause'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: p.weeksBlock,
        optional: true,
        label: plain('For'),
        element: {
          type: 'static_select',
          action_id: p.weeksAction,
          placeholder: plain('How long?'),
          options: [1, 2, 3, 4].map((n) => ({ text: plain(n === 1 ? '1 week' : `${n} weeks`), value: String(n) })),
        },
      },
      {
        type: 'input',
        block_id: p.untilBlock,
        optional: true,
        label: plain('Or until'),
        element: { type: 'datepicker', action_id: p.untilAction, placeholder: plain('Pick a date') },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'You can also type `/growth pause 2` or `/growth resume` at any time.' }],
      },
    ],
  };
}
