import type { HomeView, KnownBlock } from '@slack/types';
import type { Checkin, Member, Nudge } from '../../db/schema.ts';
import type { Agenda } from '../../growth/one-on-one.ts';
import type { Progress } from '../../growth/progress.ts';
import { formatSlot } from '../../growth/schedule.ts';
import { IDS } from '../ids.ts';
import { nextOneOnOneLines, nextOneOnOneText } from './agenda.ts';
import { editButtons } from './checkin-saved.ts';
import { type HomeMentoring, menteeHomeBlocks, mentorHomeBlocks } from './mentoring.ts';
import { LEVEL_LIST } from './messages.ts';
import { plain } from './plain-text.ts';
import { clip, coverageLine, escapeText, headline, readinessLine, topicLines } from './progress.ts';

export interface HomeInput {
  member: (Member & { level: NonNullable<Member['level']> }) | null;
  progress: Progress | null;
  nudge: Nudge | null;
  recent: Checkin[];
  /** Editable check-ins (recent enough) by id. */
  editable: Set<string>;
  mentees: { userId: string; level: string; paused: boolean; progress: Progress }[];
  nameOf: (id: string | null) => string;
  /** Their level's trap in one sentence. */
  trap?: string;
  /** Their mentor's replies and kudos. */
  mentoring?: HomeMentoring;
  /** Now, for how long the mentees' help requests have been open. */
  now?: Date;
  /** This quarter's focus, one line each (`focusLines`); none chosen: an invitation to choose. */
  focus?: string[];
  /** Their next 1:1 with their mentor, with its agenda so far. */
  oneOnOne?: Agenda;
  /** As a mentor: each mentee's next 1:1 with its agenda so far. */
  menteeOneOnOnes?: Agenda[];
}

/** Home shows at most this many mentees, one line each. */
const HOME_MENTEES = 60;

const md = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } });

function memberBlocks(input: HomeInput): KnownBlock[] {
  const { member: m, progress: p, nudge } = input;
  if (!m || !p) {
    return [
      md(
        `*Welcome to growthbot.* One small growth prompt a week for your level, and a Friday digest for your mentor.\nJoin with \`/growth join <level>\`, where the level is one of ${LEVEL_LIST}.`,
      ),
    ];
  }
  const slot = formatSlot({ weekday: m.promptWeekday, minute: m.promptMinute });
  const status = m.status === 'paused' ? ' · *paused* (`/growth resume`)' : '';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Your growth') },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${m.level} · prompts ${slot} (${m.tz})${status}` }] },
    md(headline(p)),
    ...(input.trap
      ? [
          {
            type: 'context' as const,
            elements: [{ type: 'mrkdwn' as const, text: clip(`_Watch for:_ ${escapeText(input.trap)}`, 3000) }],
          },
        ]
      : []),
  ];
  if (nudge) {
    const open = nudge.outcome === 'open' || nudge.outcome === 'missed';
    blocks.push(
      md(
        `*This week's prompt* (${input.nameOf(nudge.competencyId)})${open ? '' : ` · ${nudge.outcome}`}\n${nudge.promptText}`,
      ),
    );
    if (open)
      blocks.push({
        type: 'actions',
        elements: [
          { type: 'button', style: 'primary', text: plain('Answer'), action_id: IDS.nudge.answer, value: nudge.id },
        ],
      });
  }
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', text: plain('Check in'), action_id: IDS.home.checkin, value: 'home' },
      { type: 'button', text: plain('Change schedule'), action_id: IDS.home.schedule, value: 'home' },
      { type: 'button', text: plain('Pause…'), action_id: IDS.home.pause, value: 'home' },
      { type: 'button', text: plain('Focus…'), action_id: IDS.home.focus, value: 'home' },
    ],
  });
  blocks.push(
    { type: 'divider' },
    md(
      input.focus?.length
        ? input.focus.join('\n')
        : '*No focus this quarter yet.* Choose up to three competencies with *Focus…* or `/growth focus`.',
    ),
  );
  if (input.oneOnOne) blocks.push({ type: 'divider' }, ...nextOneOnOneText(input.oneOnOne, m.tz, input.nameOf).map(md));
  blocks.push(
    { type: 'divider' },
    md(
      [
        '*Competencies* (check-ins this quarter, latest rating)',
        ...p.coverage.map(coverageLine),
        ...(readinessLine(p) ? [readinessLine(p)!] : []),
      ].join('\n'),
    ),
  );
  if (p.topics.length) blocks.push(md(['*Worth raising at your next 1:1*', ...topicLines(p)].join('\n')));
  const answers = menteeHomeBlocks(p.openHelp, input.mentoring ?? { replies: [], kudos: [] }, input.nameOf);
  if (answers.length) blocks.push({ type: 'divider' }, ...answers);
  if (input.recent.length) {
    blocks.push({ type: 'divider' }, md('*Recent check-ins*'));
    for (const c of input.recent) {
      const when = c.createdAt.toISOString().slice(0, 10);
      const flags = [
        c.rating ? `rated ${c.rating}` : null,
        c.needsHelp ? 'asked for help' : null,
        c.private ? 'just for you' : null,
      ]
        .filter(Boolean)
        .join(' · ');
      blocks.push(
        md(
          `*${when}* · ${escapeText(input.nameOf(c.competencyId))}${flags ? ` · ${flags}` : ''}\n${escapeText(clip(c.text, 300))}`,
        ),
      );
      if (input.editable.has(c.id)) blocks.push(editButtons(c.id, !c.private));
    }
  }
  return blocks;
}

function menteeBlocks(input: HomeInput): KnownBlock[] {
  if (!input.mentees.length) return [];
  const shown = input.mentees.slice(0, HOME_MENTEES);
  const lines = shown.map(
    (m) =>
      `• <@${m.userId}> · ${m.level}${m.paused ? ' · paused' : ''} · ${headline(m.progress)}${m.progress.openHelp.length ? ' · :sos: asked for help' : ''}`,
  );
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: plain(`Your mentees (${input.mentees.length})`) },
  ];
  for (let i = 0; i < lines.length; i += 15) blocks.push(md(lines.slice(i, i + 15).join('\n')));
  if (input.now)
    blocks.push(
      ...mentorHomeBlocks(
        shown.map((m) => ({ userId: m.userId, openHelp: m.progress.openHelp })),
        input.nameOf,
        input.now,
      ),
    );
  const meetings = nextOneOnOneLines(input.menteeOneOnOnes ?? [], input.nameOf);
  for (let i = 0; i < meetings.length; i += 15)
    blocks.push(md([...(i ? [] : ['*Next 1:1s* (your time)']), ...meetings.slice(i, i + 15)].join('\n')));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${input.mentees.length > shown.length ? `Showing ${shown.length}. ` : ''}Details: \`/growth summary @name\`.`,
      },
    ],
  });
  return blocks;
}

/** The Home tab: a member's own progress, and for mentors an overview of mentees (≤ 100 blocks). */
export function homeView(input: HomeInput): HomeView {
  return { type: 'home', blocks: [...memberBlocks(input), ...menteeBlocks(input)].slice(0, 100) };
}
