import type { KnownBlock } from '@slack/types';
import type { Checkin } from '../../db/schema.ts';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';
import type { SlackMessage } from './prompt-message.ts';

/** Edit and Delete for one's own check-in; a shared one also gets "Add to 1:1" (a private one never reaches an agenda). */
export function editButtons(checkinId: string, shared = false): KnownBlock {
  return {
    type: 'actions',
    block_id: `checkin_${checkinId}`,
    elements: [
      { type: 'button', text: plain('Edit'), action_id: IDS.editCheckin, value: checkinId },
      {
        type: 'button',
        style: 'danger',
        text: plain('Delete'),
        action_id: IDS.deleteCheckin,
        value: checkinId,
        confirm: {
          title: plain('Delete this check-in?'),
          text: plain('It will be gone for good, from your progress and your mentor’s digest.'),
          confirm: plain('Delete'),
          deny: plain('Keep it'),
        },
      },
      ...(shared
        ? [{ type: 'button' as const, text: plain('Add to 1:1'), action_id: IDS.oneOnOne.addCheckin, value: checkinId }]
        : []),
    ],
  };
}

/** The confirmation DM after a check-in from the form, with a way to fix it. */
export function savedMessage(checkin: Checkin, competencyName: string, edited: boolean): SlackMessage {
  const text = `${edited ? 'Updated' : 'Saved'} your check-in on ${competencyName}${checkin.private ? ' (just for you)' : ''}. Thank you!`;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, editButtons(checkin.id, !checkin.private)],
  };
}
