import type { Agenda } from '../../growth/one-on-one.ts';
import { formatLocalWhen } from '../../growth/working-days.ts';
import { IDS } from '../ids.ts';
import { button, withButtons } from './plain-text.ts';
import { clip, escapeText, quote } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

type NameOf = (id: string | null) => string;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The agenda DM, the same for both: open help requests, focus check-ins since the last 1:1, the
 * digest's follow-up question, and what either added. Only shared check-ins ever reach it;
 * everything typed is escaped. `tz` is the reader's, for the time.
 */
export function agendaMessage(a: Agenda, readerId: string, tz: string, nameOf: NameOf): SlackMessage {
  const other = readerId === a.mentorId ? a.menteeId : a.mentorId;
  const head = `*Your 1:1 with <@${other}>, ${formatLocalWhen(a.meeting, tz)}* (your time)`;
  const sections: string[][] = [];
  if (a.help.length)
    sections.push([
      '*Open help requests*',
      ...a.help.map((h) => `• ${escapeText(nameOf(h.competencyId))} (${day(h.at)})\n${quote(h.text, 150)}`),
    ]);
  if (a.focusCheckins.length)
    sections.push([
      '*Focus check-ins since your last 1:1*',
      ...a.focusCheckins.map(
        (c) =>
          `• ${escapeText(nameOf(c.competencyId))} (${day(c.at)}${c.rating ? `, rated ${c.rating}` : ''})\n${quote(c.text, 150)}`,
      ),
    ]);
  if (a.followUp)
    sections.push([
      `*Follow-up question* (${escapeText(nameOf(a.followUp.competencyId))})`,
      escapeText(a.followUp.question),
    ]);
  if (a.items.length)
    sections.push([
      '*Added to the agenda*',
      ...a.items.map((i) =>
        i.fromCheckin
          ? `• <@${i.userId}>: a check-in on ${escapeText(nameOf(i.competencyId))}\n${quote(i.text, 200)}`
          : `• <@${i.userId}>: ${escapeText(clip(i.text.replace(/\s+/g, ' '), 500))}`,
      ),
    ]);
  if (!sections.length) sections.push(['Nothing on the agenda yet: add something with `/growth agenda <text>`.']);
  const text = clip([head, ...sections.map((s) => s.join('\n'))].join('\n\n'), 3000);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Add more: `/growth agenda <text>`, or *Add to 1:1* on a check-in.' }],
      },
    ],
  };
}

/** After the 1:1, to the mentee: one takeaway, which becomes a check-in under the focus it names. */
export function takeawayMessage(oneOnOneId: string, mentorId: string): SlackMessage {
  const text = `How was your 1:1 with <@${mentorId}>? Write down one takeaway: it becomes a check-in under the competency you choose (your focus first).`;
  return withButtons(text, [button('Write my takeaway', IDS.oneOnOne.takeaway, oneOnOneId, 'primary')]);
}
