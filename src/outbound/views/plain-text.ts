import type { KnownBlock } from '@slack/types';
import { clip } from './progress.ts';

/** A plain_text object (button labels, titles, options): Slack shows its text as typed, with emoji. */
export const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

/** A button: its label (at most 75 characters, Slack's limit), action id and value. */
export const button = (text: string, action_id: string, value: string, style?: 'primary') => ({
  type: 'button' as const,
  text: plain(clip(text, 75)),
  action_id,
  value,
  ...(style ? { style } : {}),
});

/** A DM (a SlackMessage) of one mrkdwn section with a row of buttons under it. */
export function withButtons(
  text: string,
  buttons: readonly ReturnType<typeof button>[],
): { text: string; blocks: KnownBlock[] } {
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'actions', elements: [...buttons] },
    ],
  };
}
