import type { KnownBlock } from '@slack/types';
import { IDS } from '../ids.ts';
import { plain } from './plain-text.ts';
import { clip, escapeText, quote } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

/** What a member called an incident, as Slack text: their title or link (escaped), or the channel. */
export function incidentName(p: { title: string | null; link: string | null; channelId: string | null }): string {
  if (p.channelId) return `<#${p.channelId}>`;
  if (p.title) return `*${escapeText(clip(p.title, 200))}*`;
  return p.link ? escapeText(clip(p.link, 300)) : 'the incident';
}

export const REFLECTION_QUESTIONS = [
  'What did you believe at each decision point, and what told you so?',
  'What would you do differently next time?',
  'What did you learn about the system?',
];

export const FOLLOW_UP_QUESTION = 'Did it ship, and did the failure come back?';

/** Two working days after an incident: three questions while it is still fresh. */
export function reflectionMessage(p: {
  id: string;
  title: string | null;
  link: string | null;
  channelId: string | null;
}): SlackMessage {
  const name = incidentName(p);
  const body = `You were in ${name}. A few minutes to reflect while it is still fresh:\n${REFLECTION_QUESTIONS.map((q) => `• ${q}`).join('\n')}`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(body, 3000) } },
    {
      type: 'actions',
      block_id: `incident_${p.id}`,
      elements: [
        { type: 'button', style: 'primary', text: plain('Reflect'), action_id: IDS.incident.reflect, value: p.id },
      ],
    },
  ];
  return {
    text: clip(`A reflection on ${name}: what you believed, what you would change, what you learnt.`, 3000),
    blocks,
  };
}

/** The reflection DM once the reflection is saved: its questions stay, the button goes. */
export function reflectedMessage(p: {
  id: string;
  title: string | null;
  link: string | null;
  channelId: string | null;
}): SlackMessage {
  const open = reflectionMessage(p);
  const note = ':white_check_mark: Reflected. Thank you! It is on your Home, and in your journal.';
  return {
    text: clip(`Reflected on ${incidentName(p)}.`, 3000),
    blocks: [open.blocks[0]!, { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }],
  };
}

/** Thirty days after a reflection that named an action item. */
export function followUpMessage(p: {
  id: string;
  title: string | null;
  link: string | null;
  channelId: string | null;
  actionItem: string | null;
}): SlackMessage {
  const name = incidentName(p);
  const body = `A month ago, reflecting on ${name}, you named an action item:\n${quote(p.actionItem ?? '', 500)}\n*${FOLLOW_UP_QUESTION}*`;
  return {
    text: clip(`About ${name}: ${FOLLOW_UP_QUESTION}`, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(body, 3000) } },
      {
        type: 'actions',
        block_id: `follow_up_${p.id}`,
        elements: [
          { type: 'button', style: 'primary', text: plain('Answer'), action_id: IDS.incident.followUp, value: p.id },
        ],
      },
    ],
  };
}
