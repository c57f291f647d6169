import type { CoverageRow, Progress, Trend } from '../../growth/progress.ts';
import type { MentorAid } from '../../rubrics/extras.ts';

const TREND: Record<Trend, string> = { up: '↑', down: '↓', flat: '→', new: '', none: '' };

/** Escapes what a person wrote so Slack shows it as text (no mentions, links or formatting tricks). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}

/** A quoted excerpt of a check-in, at most `n` characters, on one line. */
export function quote(text: string, n = 200): string {
  return `>${escapeText(clip(text.replace(/\s+/g, ' ').trim(), n))}`;
}

/** ▰▰▱▱: check-ins this quarter, up to four marks. */
function bar(count: number, width = 4): string {
  const filled = Math.min(count, width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)}`;
}

export function coverageLine(row: CoverageRow): string {
  const rating = row.latestRating === null ? '–' : `${row.latestRating}${TREND[row.trend]}`;
  return `\`${bar(row.thisQuarter)}\` ${row.competency.name} · ${row.thisQuarter} this quarter · rating ${rating}`;
}

export function headline(p: Progress): string {
  const week = p.answeredThisWeek
    ? ':white_check_mark: checked in this week'
    : ':hourglass_flowing_sand: no check-in yet this week';
  return `${week} · streak ${p.streak} wk${p.streak === 1 ? '' : 's'} · ${p.last4.weeks}/${p.last4.of} of the last 4 weeks · ${p.last12.weeks}/${p.last12.of} of the last 12`;
}

export function readinessLine(p: Progress): string | null {
  if (!p.readiness) return null;
  const { nextLevel, ready, of, competencies } = p.readiness;
  const names = competencies.filter((c) => c.ready).map((c) => c.competency.name);
  return `Toward ${nextLevel}: ${ready}/${of} of its competencies practised at 3+${names.length ? ` (${names.join(', ')})` : ''}`;
}

/**
 * For a mentor: the question to ask about a competency (the answered prompt's own, when it has one),
 * what a good answer looks like (summaries), and how to judge it: a red flag, a reference, a safety question.
 */
export type TopicHelp = (competencyId: string, promptId?: string | null) => MentorAid;

const AID_LINES: [keyof MentorAid, string][] = [
  ['ask', 'Ask'],
  ['good', 'A good answer'],
  ['redFlag', 'Red flag'],
  ['reference', 'Check against'],
  ['safety', 'Safety'],
];

export function topicLines(p: Progress, help?: TopicHelp): string[] {
  return p.topics.map((t) => {
    const h = t.competencyId && help ? help(t.competencyId, t.promptId) : {};
    const aids = AID_LINES.flatMap(([key, label]) => (h[key] ? [`\n   _${label}:_ ${escapeText(h[key])}`] : []));
    return `• *${escapeText(t.text)}*: ${t.reason}${aids.join('')}`;
  });
}

/** The whole picture as mrkdwn text, for `/growth summary` (a few thousand characters at most). */
export interface SummaryExtras {
  /** The level's trap in one sentence. */
  trap?: string;
  /** The latest check-ins the asker may read, newest first. */
  latest?: { text: string; competencyName: string | null; at: Date; private: boolean }[];
  /** Follow-up questions and good answers, for a mentor or an admin. */
  help?: TopicHelp;
  /** This quarter's focus, one line each (`focusLines`). */
  focus?: string[];
}

export function progressText(
  who: string,
  level: string,
  p: Progress,
  nameOf: (id: string | null) => string,
  extras: SummaryExtras = {},
): string {
  const latest = extras.latest ?? [];
  const lines = [
    `*${who}* · ${level}`,
    headline(p),
    ...(extras.trap ? [`_Watch for:_ ${escapeText(extras.trap)}`] : []),
    ...(extras.focus?.length ? ['', ...extras.focus] : []),
    ...(latest.length
      ? [
          '',
          '*Latest check-ins*',
          ...latest.map(
            (c) =>
              `• ${c.at.toISOString().slice(0, 10)} · ${escapeText(c.competencyName ?? 'no competency')}${c.private ? ' · just for you' : ''}\n${quote(c.text)}`,
          ),
        ]
      : []),
    '',
    '*Competencies*',
    ...p.coverage.map(coverageLine),
    ...(readinessLine(p) ? ['', readinessLine(p)!] : []),
    ...(p.openHelp.length
      ? [
          '',
          '*Asked for help*',
          ...p.openHelp.map(
            (h) => `• ${nameOf(h.competencyId)} (${h.at.toISOString().slice(0, 10)}) ${quote(h.text, 150).slice(1)}`,
          ),
        ]
      : []),
    ...(p.topics.length ? ['', '*Next 1:1, talk about*', ...topicLines(p, extras.help)] : []),
    ...(p.retired.length
      ? [
          '',
          '*Earlier competencies* (no longer in the rubrics)',
          ...p.retired.map(
            (r) =>
              `• ${escapeText(r.name)}${r.lastAt ? `, last practised ${r.lastAt.toISOString().slice(0, 10)}` : ''}`,
          ),
        ]
      : []),
  ];
  return clip(lines.join('\n'), 3800);
}
