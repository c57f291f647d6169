import { DateTime } from 'luxon';
import type { Agenda } from '../../growth/one-on-one.ts';
import { formatLocalWhen } from '../../growth/working-days.ts';
import { IDS } from '../ids.ts';
import { packSections, REPLY_MAX_CHARS } from './long-list.ts';
import { button, withButtons } from './plain-text.ts';
import { clip, escapeText, quote } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

type NameOf = (id: string | null) => string;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The agenda's parts, each a heading and its lines: only shared check-ins reach it; typed text escaped. */
function agendaSections(a: Agenda, nameOf: NameOf): string[][] {
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
  return sections;
}

const packed = (lines: readonly string[], most: number) =>
  packSections(lines, most, (n) => `…and ${n} more on the agenda.`);

const ADD_MORE = 'Add more: `/growth agenda <text>`, or *Add to 1:1* on a check-in.';

/**
 * The agenda DM, the same for both: open help requests, focus check-ins since the last 1:1, the
 * digest's follow-up question, and what either added. `tz` is the reader's, for the time.
 */
export function agendaMessage(a: Agenda, readerId: string, tz: string, nameOf: NameOf): SlackMessage {
  const other = readerId === a.mentorId ? a.menteeId : a.mentorId;
  const head = `*Your 1:1 with <@${other}>, ${formatLocalWhen(a.meeting, tz)}* (your time)`;
  const lines = [head, ...agendaSections(a, nameOf).flatMap((s) => ['', ...s])];
  return {
    text: clip(lines.join('\n'), REPLY_MAX_CHARS),
    blocks: [
      ...packed(lines, 45).map((text) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } })),
      { type: 'context', elements: [{ type: 'mrkdwn', text: ADD_MORE }] },
    ],
  };
}

/**
 * Home, the mentee's side: their next 1:1 with their mentor and its agenda so far, as the DM will
 * say it (one section's text each).
 */
export function nextOneOnOneText(a: Agenda, tz: string, nameOf: NameOf): string[] {
  const head = `*Your next 1:1 with <@${a.mentorId}>: ${formatLocalWhen(a.meeting, tz)}* (your time)`;
  return packed([head, ...agendaSections(a, nameOf).flat(), ADD_MORE], 6);
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Home, the mentor's side: one line per mentee with their next 1:1 (the mentor's zone) and what its agenda holds so far. */
export function nextOneOnOneLines(agendas: readonly Agenda[], nameOf: NameOf): string[] {
  return agendas.map((a) => {
    const parts = [
      `<@${a.menteeId}>`,
      DateTime.fromJSDate(a.meeting, { zone: a.tz }).toFormat('ccc d LLL HH:mm'),
      ...(a.help.length ? [count(a.help.length, 'open help request', 'open help requests')] : []),
      ...(a.focusCheckins.length ? [count(a.focusCheckins.length, 'focus check-in', 'focus check-ins')] : []),
      ...(a.followUp ? [`follow up on ${escapeText(nameOf(a.followUp.competencyId))}`] : []),
      ...a.items.map((i) =>
        i.fromCheckin
          ? `<@${i.userId}> added a check-in on ${escapeText(nameOf(i.competencyId))}`
          : `<@${i.userId}> added “${escapeText(clip(i.text.replace(/\s+/g, ' '), 80))}”`,
      ),
    ];
    return `• ${parts.join(' · ')}`;
  });
}

/** After the 1:1, to the mentee: one takeaway, which becomes a check-in under the focus it names. */
export function takeawayMessage(oneOnOneId: string, mentorId: string): SlackMessage {
  const text = `How was your 1:1 with <@${mentorId}>? Write down one takeaway: it becomes a check-in under the competency you choose (your focus first).`;
  return withButtons(text, [button('Write my takeaway', IDS.oneOnOne.takeaway, oneOnOneId, 'primary')]);
}
