import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { daysOpen, HELPED_NOTE_MAX_CHARS, helpOrder, isStale, REPLY_MAX_CHARS } from '../../growth/mentoring.ts';
import type { HelpRequest } from '../../growth/progress.ts';
import { IDS, numbered } from '../ids.ts';
import { button, plain } from './plain-text.ts';
import { clip, escapeText, quote } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

const M = IDS.mentoring;
const day = (d: Date) => d.toISOString().slice(0, 10);
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });

/** The reply form: to a mentee (from the digest or a summary), or back to a reply received. */
export function replyModal(recipientName: string, meta: { menteeId: string } | { replyId: string }): View {
  return {
    type: 'modal',
    callback_id: IDS.replyModal,
    private_metadata: JSON.stringify(meta),
    title: plain('Reply'),
    submit: plain('Send'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: M.replyBlock,
        label: plain(clip(`To ${recipientName}`, 2000)),
        element: { type: 'plain_text_input', action_id: M.replyAction, multiline: true, max_length: REPLY_MAX_CHARS },
      },
    ],
  };
}

/** A reply as its recipient sees it, with their own Reply back. */
export function replyMessage(r: { id: string; fromId: string; text: string }): SlackMessage {
  const text = `From <@${r.fromId}>: ${escapeText(r.text)}`;
  return {
    text: clip(text, 3000),
    blocks: [section(text), { type: 'actions', elements: [button('Reply', M.replyBack, r.id)] }],
  };
}

export function kudosMessage(k: { mentorId: string; text: string; at: Date }): SlackMessage {
  const text = `:clap: <@${k.mentorId}> gave you kudos for your check-in of ${day(k.at)}:\n${quote(k.text)}`;
  return { text, blocks: [section(text)] };
}

const when = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toFormat('ccc d LLL HH:mm');

/** Told to the mentee: who will help with their request, and when they said so. */
export function helpOfferedMessage(o: {
  checkinId: string;
  mentorId: string;
  competency: string;
  askedAt: Date;
  offeredAt: Date;
  tz: string;
}): SlackMessage {
  const text = `:raised_hands: <@${o.mentorId}> will help with your request about *${escapeText(o.competency)}* (asked ${day(o.askedAt)}); they offered on ${when(o.offeredAt, o.tz)}. Press *Resolved* once it is sorted.`;
  return { text, blocks: [section(text), resolveActions(o.checkinId)] };
}

/** Told to the mentor after *I'll help*. */
export function helpOfferConfirmed(o: { checkinId: string; menteeId: string; competency: string }): SlackMessage {
  const text = `You will help <@${o.menteeId}> with *${escapeText(o.competency)}*; they have been told. Press *Resolved* once it is sorted.`;
  return { text, blocks: [section(text), resolveActions(o.checkinId)] };
}

function resolveActions(checkinId: string): KnownBlock {
  return { type: 'actions', elements: [button('Resolved', M.resolveHelp, checkinId)] };
}

/** Asked once, of the mentee, after a request was resolved. */
export function helpedQuestion(o: {
  checkinId: string;
  competency: string;
  by: string;
  menteeId: string;
}): SlackMessage {
  const who = o.by === o.menteeId ? 'You marked' : `<@${o.by}> marked`;
  const text = `${who} your help request about *${escapeText(o.competency)}* resolved. Did it help?`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        elements: [
          button('It helped', M.helped, o.checkinId, 'primary'),
          button('Not really', M.notHelped, o.checkinId),
        ],
      },
    ],
  };
}

/** The question once answered: thanks, and one optional line. */
export function helpedAnswered(checkinId: string, helped: boolean): SlackMessage {
  const text = helped ? 'Glad it helped. Thank you for saying so.' : 'Thank you for saying so.';
  return {
    text,
    blocks: [
      section(`${text} A line about it, if you like: it is kept with the request, in your export.`),
      { type: 'actions', elements: [button('Add a line', M.addNote, checkinId)] },
    ],
  };
}

export function helpNoteModal(checkinId: string): View {
  return {
    type: 'modal',
    callback_id: IDS.helpNoteModal,
    private_metadata: JSON.stringify({ checkinId }),
    title: plain('Did it help?'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: M.noteBlock,
        label: plain('One line about it'),
        element: { type: 'plain_text_input', action_id: M.noteAction, max_length: HELPED_NOTE_MAX_CHARS },
      },
    ],
  };
}

/** The digest's and a summary's buttons for one mentee: Reply, I'll help per open request, Kudos per quoted check-in. */
export function menteeActions(o: {
  menteeId: string;
  offer: { checkinId: string; competency: string }[];
  kudos: { checkinId: string; label: string }[];
}): KnownBlock {
  return {
    type: 'actions',
    block_id: `mentee_${o.menteeId}`,
    elements: [
      button('Reply', M.reply, o.menteeId, 'primary'),
      ...o.offer.map((h, i) => button(`I'll help: ${h.competency}`, numbered(M.offerHelp, i), h.checkinId)),
      ...o.kudos.map((k, i) => button(`Kudos: ${k.label}`, numbered(M.kudos, i), k.checkinId)),
    ].slice(0, 25),
  };
}

/** What Home shows of the mentor's answers and of open help requests. */
export interface HomeMentoring {
  /** The latest replies their mentor sent them. */
  replies: { id: string; fromId: string; text: string; at: Date }[];
  /** Kudos on their check-ins, newest first. */
  kudos: { checkinId: string; mentorId: string; at: Date }[];
}

const HOME_REQUESTS = 5;
const accessory = (text: string, action_id: string, value: string) => ({ accessory: button(text, action_id, value) });

/** A mentee's own Home: their open help requests (Resolved), their mentor's replies (Reply back) and kudos. */
export function menteeHomeBlocks(
  openHelp: readonly HelpRequest[],
  m: HomeMentoring,
  nameOf: (id: string | null) => string,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (openHelp.length) {
    blocks.push(section('*Your open help requests*'));
    for (const h of openHelp.slice(0, HOME_REQUESTS))
      blocks.push({
        ...section(
          `:sos: ${escapeText(nameOf(h.competencyId))} · asked ${day(h.at)}${h.offeredBy ? ` · <@${h.offeredBy}> will help` : ''}\n${quote(h.text, 150)}`,
        ),
        ...accessory('Resolved', M.resolveHelp, h.checkinId),
      } as KnownBlock);
  }
  if (m.replies.length) {
    blocks.push(section('*From your mentor*'));
    for (const r of m.replies)
      blocks.push({
        ...section(`*${day(r.at)}* · <@${r.fromId}>: ${escapeText(clip(r.text, 500))}`),
        ...accessory('Reply', M.replyBack, r.id),
      } as KnownBlock);
  }
  if (m.kudos.length)
    blocks.push(
      section(
        m.kudos
          .slice(0, 5)
          .map((k) => `:clap: <@${k.mentorId}> gave kudos on ${day(k.at)}`)
          .join('\n'),
      ),
    );
  return blocks;
}

/** A mentor's Home: their mentees' open help requests, with I'll help (until offered) and Resolved. */
export function mentorHomeBlocks(
  mentees: readonly { userId: string; openHelp: readonly HelpRequest[] }[],
  nameOf: (id: string | null) => string,
  now: Date,
): KnownBlock[] {
  const requests = mentees.flatMap((m) => m.openHelp.map((h) => ({ ...h, userId: m.userId })));
  if (!requests.length) return [];
  const blocks: KnownBlock[] = [section(`*Open help requests* (${requests.length})`)];
  for (const h of helpOrder(requests, now).slice(0, HOME_REQUESTS)) {
    const open = isStale(h.at, now) ? ` · *open ${daysOpen(h.at, now)} days*` : '';
    blocks.push(
      section(
        `:sos: <@${h.userId}> · ${escapeText(nameOf(h.competencyId))} · asked ${day(h.at)}${open}${h.offeredBy ? ` · <@${h.offeredBy}> will help` : ''}\n${quote(h.text, 150)}`,
      ),
      {
        type: 'actions',
        block_id: `help_${h.checkinId}`,
        elements: [
          ...(h.offeredBy ? [] : [button("I'll help", M.offerHelp, h.checkinId, 'primary')]),
          button('Resolved', M.resolveHelp, h.checkinId),
        ],
      },
    );
  }
  return blocks;
}
