import type { View } from '@slack/types';
import { formatSlot, type Slot } from '../../growth/schedule.ts';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "Change schedule" from Home: weekday and local time of the weekly prompt. */
export function scheduleModal(current: Slot, tz: string): View {
  const s = IDS.schedule;
  const options = DAYS.map((d, i) => ({ text: plain(d), value: String(i + 1) }));
  const hh = String(Math.floor(current.minute / 60)).padStart(2, '0');
  const mm = String(current.minute % 60).padStart(2, '0');
  return {
    type: 'modal',
    callback_id: IDS.scheduleModal,
    title: plain('Prompt schedule'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Now: ${formatSlot(current)}, your time (${tz}).` }] },
      {
        type: 'input',
        block_id: s.weekdayBlock,
        label: plain('Day'),
        element: {
          type: 'static_select',
          action_id: s.weekdayAction,
          options,
          initial_option: options[current.weekday - 1]!,
        },
      },
      {
        type: 'input',
        block_id: s.timeBlock,
        label: plain('Time'),
        element: { type: 'timepicker', action_id: s.timeAction, initial_time: `${hh}:${mm}` },
      },
    ],
  };
}
