import type { KnownBlock } from '@slack/types';
import type { RubricCompetency } from '../../rubrics/schema.ts';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';

export interface PromptMessageInput {
  nudgeId: string;
  level: string;
  competency: Pick<RubricCompetency, 'name' | 'why' | 'level'> | undefined;
  promptText: string;
  /** An extra prompt's label ("Stretch toward senior"), shown instead of the level. */
  label?: string | null;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

function header(input: PromptMessageInput): string {
  const name = input.competency?.name ?? 'This week';
  const where = input.label ?? (input.competency?.level === 'shared' ? 'every level' : input.level);
  return clip(`${name} · ${where}`, 150);
}

function promptBody(input: PromptMessageInput): KnownBlock[] {
  return [
    { type: 'header', text: plain(header(input)) },
    { type: 'section', text: { type: 'mrkdwn', text: clip(input.promptText, 3000) } },
    ...(input.competency?.why
      ? [
          {
            type: 'context' as const,
            elements: [{ type: 'mrkdwn' as const, text: clip(`_Why it matters:_ ${input.competency.why}`, 3000) }],
          },
        ]
      : []),
  ];
}

/** The weekly prompt DM: what to do this week, why, and two clicks to answer. */
export function promptMessage(input: PromptMessageInput): SlackMessage {
  return {
    text: `Your growth prompt this week (${header(input)}): ${clip(input.promptText, 300)}`,
    blocks: [
      ...promptBody(input),
      {
        type: 'actions',
        block_id: `nudge_${input.nudgeId}`,
        elements: [
          ...answerAndSkip(input.nudgeId),
          { type: 'button', text: plain('Pause…'), action_id: IDS.nudge.pause, value: input.nudgeId },
        ],
      },
    ],
  };
}

/** The prompt's Answer and Skip buttons, on the prompt DM and its reminder alike. */
function answerAndSkip(nudgeId: string) {
  return [
    {
      type: 'button' as const,
      style: 'primary' as const,
      text: plain('Answer'),
      action_id: IDS.nudge.answer,
      value: nudgeId,
    },
    { type: 'button' as const, text: plain('Skip this week'), action_id: IDS.nudge.skip, value: nudgeId },
  ];
}

/** The prompt DM once answered or skipped: the same prompt, and no buttons left to click twice. */
export function settledPromptMessage(
  input: PromptMessageInput,
  outcome: 'answered' | 'skipped' | 'answered-before',
): SlackMessage {
  const note = {
    answered: ':white_check_mark: Answered. Thank you! Your mentor will see it in their Friday digest.',
    'answered-before':
      ':white_check_mark: Already answered: your check-in earlier this week counts for this week, so no reminder will come. Add another any time.',
    skipped: ':fast_forward: Skipped this week. See you next week.',
  }[outcome];
  return {
    text: `${outcome === 'skipped' ? 'Skipped' : 'Answered'}: ${header(input)}`,
    blocks: [...promptBody(input), { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }],
  };
}

/** The one gentle reminder, for a prompt neither answered nor skipped. */
export function reminderMessage(input: PromptMessageInput): SlackMessage {
  return {
    text: `A gentle nudge: this week's prompt (${header(input)}) is still open.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            `A gentle nudge: this week's prompt is still open.\n>${input.promptText.replace(/\n/g, '\n>')}`,
            3000,
          ),
        },
      },
      {
        type: 'actions',
        block_id: `reminder_${input.nudgeId}`,
        elements: answerAndSkip(input.nudgeId),
      },
    ],
  };
}

export function autoPausedMessage(): SlackMessage {
  const text =
    "I haven't heard from you for three weeks, so I've paused your weekly prompts; no more messages from me until you want them. " +
    'Type `/growth resume` whenever you like, and `/growth schedule` if a different day or time would suit you better.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
