import type { KnownBlock } from '@slack/types';
import { daysOpen, helpOrder, isStale } from '../../growth/mentoring.ts';
import type { MenteeOncall } from '../../growth/oncall.ts';
import type { HelpRequest, Progress } from '../../growth/progress.ts';
import { type DigestReflection, oncallLines, reflectionLines } from './digest-oncall.ts';
import { menteeActions } from './mentoring.ts';
import { plain } from './plain-text.ts';
import {
  clip,
  coverageLine,
  escapeText,
  headline,
  quote,
  readinessLine,
  type TopicHelp,
  topicLines,
} from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

export interface DigestMentee {
  userId: string;
  level: string;
  progress: Progress;
  /** Their latest check-in this week shared with the mentor (never a private one, a reflection or a retro). */
  latest: { id: string; text: string; competencyName: string | null; at: Date } | null;
  paused: boolean;
  /** Their tz, for the shift times. */
  tz?: string;
  /** Incident reflections written this week (a private one counted, never quoted). */
  reflections?: DigestReflection[];
  /** On call this week, and their retros. */
  oncall?: MenteeOncall | null;
  /** The mentor's aids for this mentee's topics, at their level (overrides the digest-wide one). */
  help?: TopicHelp;
  /** This quarter's focus, one line each (`focusLines`), counting only what they share. */
  focus?: string[];
}

/** Mentees shown in full; the rest get one line each. */
const DETAILED = 8;
/** One-line rows at most (three sections); past that the digest points to Home. */
const MAX_LINES = 60;
const LINES_PER_SECTION = 20;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });

/** Help requests open a week or more first, then other help requests, then who has not checked in, then the rest. */
function orderMentees(mentees: readonly DigestMentee[], now?: Date): DigestMentee[] {
  const rank = (m: DigestMentee) =>
    now && m.progress.openHelp.some((h) => isStale(h.at, now))
      ? 0
      : m.progress.openHelp.length
        ? 1
        : m.progress.answeredThisWeek
          ? 3
          : 2;
  return [...mentees].sort((a, b) => rank(a) - rank(b) || a.userId.localeCompare(b.userId));
}

/** A mentee's open help requests, those open a week or more first. */
const openHelp = (m: DigestMentee, now?: Date) => (now ? helpOrder(m.progress.openHelp, now) : m.progress.openHelp);

/** How many help requests a mentee's part quotes; the rest are named on one line. */
const HELP_QUOTED = 2;

/** The help requests a mentee's part quotes. */
const shownHelp = (m: DigestMentee, now?: Date) => openHelp(m, now).slice(0, HELP_QUOTED);

function helpLine(h: HelpRequest, nameOf: (id: string | null) => string, now?: Date): string {
  const open = now && isStale(h.at, now) ? ` · *open ${daysOpen(h.at, now)} days*` : '';
  const offered = h.offeredBy ? ` · <@${h.offeredBy}> offered help on ${h.offeredAt?.toISOString().slice(0, 10)}` : '';
  return `:sos: *Asked for help* with ${nameOf(h.competencyId)} on ${h.at.toISOString().slice(0, 10)}${open}${offered}\n${quote(h.text)}`;
}

function detail(m: DigestMentee, nameOf: (id: string | null) => string, help?: TopicHelp, now?: Date): string {
  const p = m.progress;
  const lines = [`*<@${m.userId}>* · ${m.level}${m.paused ? ' · paused' : ''}`, headline(p), ...(m.focus ?? [])];
  const asked = shownHelp(m, now);
  for (const h of asked) lines.push(helpLine(h, nameOf, now));
  const more = openHelp(m, now).slice(HELP_QUOTED);
  if (more.length)
    lines.push(
      `:sos: Also asked for help with ${more.map((h) => `${nameOf(h.competencyId)} (${h.at.toISOString().slice(0, 10)})`).join(', ')}`,
    );
  // Incident reflections first among what was written.
  lines.push(...reflectionLines(m.reflections ?? []));
  // A help request quoted above is not quoted again.
  const l = m.latest;
  if (l && !asked.some((h) => h.checkinId === l.id))
    lines.push(
      `Latest (${l.competencyName ? `${escapeText(l.competencyName)}, ` : ''}${l.at.toISOString().slice(0, 10)}):\n${quote(l.text)}`,
    );
  if (m.oncall) lines.push(...oncallLines(m.oncall, m.tz ?? 'UTC'));
  lines.push(...p.coverage.map(coverageLine));
  const ready = readinessLine(p);
  if (ready) lines.push(ready);
  if (p.topics.length) lines.push('*Talk about:*', ...topicLines(p, m.help ?? help));
  return lines.join('\n');
}

/** Reply to the mentee; I'll help on each open request nobody offered help on yet; Kudos on each shared check-in quoted. */
function actionsOf(m: DigestMentee, nameOf: (id: string | null) => string, now?: Date): KnownBlock {
  const asked = shownHelp(m, now);
  const quoted = [
    ...asked.map((h) => ({ checkinId: h.checkinId, label: nameOf(h.competencyId) })),
    ...(m.latest && !asked.some((h) => h.checkinId === m.latest!.id)
      ? [{ checkinId: m.latest.id, label: m.latest.competencyName ?? m.latest.at.toISOString().slice(0, 10) }]
      : []),
  ];
  return menteeActions({
    menteeId: m.userId,
    offer: openHelp(m, now)
      .filter((h) => !h.offeredBy)
      .map((h) => ({ checkinId: h.checkinId, competency: nameOf(h.competencyId) })),
    kudos: quoted,
  });
}

function oneLine(m: DigestMentee): string {
  const p = m.progress;
  const help = `${p.openHelp.length ? ' · :sos: asked for help' : ''}${m.oncall?.shifts.length ? ' · :pager: on call' : ''}`;
  return `• <@${m.userId}> · ${p.answeredThisWeek ? ':white_check_mark:' : ':hourglass_flowing_sand:'} · streak ${p.streak} · ${p.last4.weeks}/${p.last4.of} weeks${help}`;
}

/**
 * The Friday digest: who answered, what they wrote, which competencies move, who asked for
 * help, what to raise at the next 1:1. Stays within Slack's limits (≤ 50 blocks, ≤ 3000
 * characters a section) for any number of mentees.
 */
export function digestMessage(
  mentees: readonly DigestMentee[],
  nameOf: (id: string | null) => string,
  help?: TopicHelp,
  /** Now, for how long help requests have been open (those open a week or more come first). */
  now?: Date,
): SlackMessage {
  const ordered = orderMentees(mentees, now);
  const answered = ordered.filter((m) => m.progress.answeredThisWeek).length;
  const helpers = ordered.filter((m) => m.progress.openHelp.length).length;
  const summary = `${ordered.length} mentee${ordered.length === 1 ? '' : 's'} · ${answered} checked in this week · ${helpers} asked for help`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Your mentees this week') },
    { type: 'context', elements: [{ type: 'mrkdwn', text: summary }] },
  ];
  for (const m of ordered.slice(0, DETAILED))
    blocks.push({ type: 'divider' }, section(detail(m, nameOf, help, now)), actionsOf(m, nameOf, now));
  const rest = ordered.slice(DETAILED);
  const lines = rest.slice(0, MAX_LINES).map(oneLine);
  if (lines.length) blocks.push({ type: 'divider' });
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION)
    blocks.push(section(lines.slice(i, i + LINES_PER_SECTION).join('\n')));
  const hidden = rest.length - lines.length;
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${hidden > 0 ? `…and ${hidden} more on your Home tab. ` : ''}Full detail for anyone: \`/growth summary @name\`, or open growthbot's Home tab.`,
      },
    ],
  });
  const fallback = [
    `Your mentees this week: ${summary}.`,
    ...ordered
      .slice(0, 20)
      .map(
        (m) =>
          `<@${m.userId}>: ${m.progress.answeredThisWeek ? 'checked in' : 'no check-in yet'}${m.progress.openHelp.length ? ', asked for help' : ''}`,
      ),
  ];
  return { text: clip(fallback.join('\n'), 3000), blocks };
}
