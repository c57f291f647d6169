import type { KnownBlock } from '@slack/types';
import { CHECKIN_MAX_CHARS } from '../../growth/checkin.ts';
import { IDS } from '../ids.ts';
import { LEVEL_LIST } from './messages.ts';
import { plain } from './plain-text.ts';
import { escapeText } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

export interface DmCheckin {
  id: string;
  private: boolean;
  competencyName: string | null;
  /** It answered this week's prompt (else: a free check-in). */
  answeredPrompt: boolean;
  /** This week's prompt had already been answered, which is why it is a free check-in. */
  promptAlreadyAnswered: boolean;
}

function savedText(c: DmCheckin): string {
  const on = c.competencyName ? ` (*${escapeText(c.competencyName)}*)` : '';
  const what = c.answeredPrompt
    ? `Saved as your answer to this week's prompt${on}.`
    : `Saved as a check-in${on}${c.promptAlreadyAnswered ? ": this week's prompt was already answered" : ''}.`;
  return `${what} ${c.private ? 'Just for you: your mentor will not see it.' : 'Your mentor sees it in their Friday digest.'}`;
}

/** The one threaded reply confirming a DM message became a check-in, with the three ways to change that. */
export function dmSavedMessage(c: DmCheckin): SlackMessage {
  const text = savedText(c);
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: `dm_checkin_${c.id}`,
        elements: [
          { type: 'button', text: plain('Edit'), action_id: IDS.editCheckin, value: c.id },
          c.private
            ? { type: 'button', text: plain('Share with my mentor'), action_id: IDS.dm.share, value: c.id }
            : { type: 'button', text: plain('Make private'), action_id: IDS.dm.makePrivate, value: c.id },
          { type: 'button', text: plain('Not a check-in'), action_id: IDS.dm.notCheckin, value: c.id },
        ],
      },
    ],
  };
}

/** The confirmation once *Not a check-in* removed it: no buttons left. */
export function dmRemovedMessage(reopened: boolean): SlackMessage {
  const text = `Removed: not a check-in. Your message stays here as it is.${reopened ? " This week's prompt is open again." : ''}`;
  return { text, blocks: [section(text)] };
}

export function dmTooLong(length: number, edited: boolean, stored = true): string {
  if (edited && !stored)
    return `Your edited message is still ${length} characters long; a check-in holds at most ${CHECKIN_MAX_CHARS}, so it is not saved yet. Edit it down to size and I will save it.`;
  return edited
    ? `Your edited message is ${length} characters long; a check-in holds at most ${CHECKIN_MAX_CHARS}, so the check-in keeps your earlier text.`
    : `That message is ${length} characters long; a check-in holds at most ${CHECKIN_MAX_CHARS}, so I did not save it. ` +
        'Your message is still here: send a shorter version, or split it in two.';
}

/** A file shared with no words: nothing to save yet, and the person is told so. */
export function dmFileNeedsWords(): string {
  return 'I keep a file as the evidence of a check-in: edit your message to add a line about what you did or learned, and I will save it.';
}

export function dmNotConfirmed(): string {
  return 'I could not confirm that this was saved: the database did not answer in time. Look at my Home tab in a minute; if it is not there, send it again.';
}

/** Said (at most once a week) to someone who writes to the bot before joining. */
export function joinHint(): string {
  return (
    "Hi! I'm growthbot: one small growth prompt a week for SREs, answered right here, and a Friday digest for your mentor. " +
    `I keep what you write here only once you have joined, so I did not keep this. Join with \`/growth join <level>\`, where the level is one of ${LEVEL_LIST}. ` +
    'Example: `/growth join junior`'
  );
}
