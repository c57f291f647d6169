import type { Level, Rubrics } from '../rubrics/schema.ts';
import { competencyNamer, nextLevel, stretchCompetencies } from './competencies.ts';
import { groupBy } from './group-by.ts';
import { formatSlot, type Weekday } from './schedule.ts';

export interface JournalCheckin {
  competencyId: string | null;
  /** The competency's name when the check-in was saved: kept for competencies later removed. */
  competencyName: string | null;
  text: string;
  rating: number | null;
  needsHelp: boolean;
  evidenceUrl: string | null;
  private: boolean;
  at: Date;
  /** Who gave kudos on it (their name), if anyone did. */
  kudosFrom?: string | null;
}

/** A reply their mentor sent them. */
export interface JournalReply {
  from: string;
  text: string;
  at: Date;
}

/** Their focus for one quarter. */
export interface JournalFocus {
  quarter: string;
  competencyIds: readonly string[];
  status: 'chosen' | 'agreed' | 'suggested' | 'kept';
}

/** A 1:1 of theirs, as mentee or mentor, with the other person's name. */
export interface JournalOneOnOne {
  with: string;
  weekday: Weekday;
  minute: number;
  everyWeeks: number;
}

/** What they added to a 1:1's agenda: typed text, or one of their check-ins. */
export interface JournalAgendaItem {
  at: Date;
  text: string | null;
  /** For a check-in added: its day and competency (its text is under the competency above). */
  checkin?: { at: Date; competencyName: string | null } | null;
}

const FOCUS_STATUS: Record<JournalFocus['status'], string> = {
  chosen: 'chosen',
  agreed: 'agreed with your mentor',
  suggested: 'your mentor suggested others',
  kept: 'kept after a suggestion',
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Text as Markdown shows it as written: every character Markdown could read as markup (tags such
 * as `<payments>`, entities, emphasis, code, links, headings' closing #, tables, strikethrough)
 * gets a backslash, which CommonMark allows before any ASCII punctuation.
 */
function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>&~#|!()]/g, '\\$&');
}

/** A link target as Markdown reads it whole: spaces and parentheses percent-encoded. */
const linkTarget = (url: string) => url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function entry(c: JournalCheckin): string {
  const bits = [
    c.rating ? `rated ${c.rating}/4` : null,
    c.needsHelp ? 'asked for help' : null,
    c.private ? 'just for me' : null,
    c.kudosFrom ? `kudos from ${escapeMarkdown(c.kudosFrom)}` : null,
  ].filter(Boolean);
  const link = c.evidenceUrl ? ` ([evidence](${linkTarget(c.evidenceUrl)}))` : '';
  return `- **${day(c.at)}**${bits.length ? ` (${bits.join(', ')})` : ''}: ${escapeMarkdown(oneLine(c.text))}${link}`;
}

/**
 * A person's growth journal in Markdown: check-ins grouped by competency, newest last, and
 * for the next level, the evidence they already have: the start of a promotion packet.
 */
export function journalMarkdown(input: {
  name: string;
  level: Level | null;
  checkins: readonly JournalCheckin[];
  /** Replies their mentor sent them, in their own section. */
  replies?: readonly JournalReply[];
  /** Their focus each quarter. */
  focus?: readonly JournalFocus[];
  /** Their 1:1s, and what they added to their agendas. */
  oneOnOnes?: readonly JournalOneOnOne[];
  agenda?: readonly JournalAgendaItem[];
  rubrics: Rubrics;
  now: Date;
}): string {
  const { rubrics } = input;
  const nameOf = (c: JournalCheckin) =>
    c.competencyId ? (rubrics.byId.get(c.competencyId)?.name ?? c.competencyName ?? c.competencyId) : null;
  const groups = groupBy(
    [...input.checkins].sort((a, b) => a.at.getTime() - b.at.getTime()),
    (c) => nameOf(c) ?? 'Other check-ins',
  );
  const lines = [
    `# Growth journal: ${escapeMarkdown(input.name)}`,
    '',
    `Level: ${input.level ?? 'not joined'} · ${input.checkins.length} check-in${input.checkins.length === 1 ? '' : 's'} · exported ${day(input.now)}`,
    '',
  ];
  if (!input.checkins.length) lines.push('No check-ins yet.', '');
  for (const [name, list] of groups) {
    const retired =
      list[0]!.competencyId && !rubrics.byId.has(list[0]!.competencyId) ? ' (no longer in the rubrics)' : '';
    lines.push(`## ${escapeMarkdown(name)}${retired}`, '', ...list.map(entry), '');
  }
  const replies = [...(input.replies ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (replies.length)
    lines.push(
      '## From your mentor',
      '',
      ...replies.map((r) => `- **${day(r.at)}**, ${escapeMarkdown(r.from)}: ${escapeMarkdown(oneLine(r.text))}`),
      '',
    );
  lines.push(...focusLines(input.focus ?? [], rubrics), ...oneOnOneLines(input.oneOnOnes ?? [], input.agenda ?? []));
  const next = input.level ? nextLevel(input.level) : null;
  if (input.level && next) {
    lines.push(`## Toward ${next}`, '', `Evidence so far for each ${next} competency:`, '');
    for (const c of stretchCompetencies(rubrics, input.level)) {
      const mine = input.checkins.filter((x) => x.competencyId === c.id);
      const best = Math.max(0, ...mine.map((x) => x.rating ?? 0));
      lines.push(`### ${c.name}`, '', `_What good looks like:_ ${c.signals.join(' ')}`, '');
      lines.push(
        ...(mine.length
          ? [
              `${mine.length} check-in${mine.length === 1 ? '' : 's'}, best self-rating ${best || '–'}/4:`,
              ...mine.map(entry),
            ]
          : ['No evidence yet.']),
        '',
      );
    }
  }
  return lines.join('\n');
}

function focusLines(focus: readonly JournalFocus[], rubrics: Rubrics): string[] {
  const chosen = focus.filter((f) => f.competencyIds.length);
  if (!chosen.length) return [];
  const nameOf = competencyNamer(rubrics);
  const name = (id: string) => escapeMarkdown(nameOf(id));
  return [
    '## Focus',
    '',
    ...[...chosen]
      .sort((a, b) => a.quarter.localeCompare(b.quarter))
      .map((f) => `- **${f.quarter}** (${FOCUS_STATUS[f.status]}): ${f.competencyIds.map(name).join(', ')}`),
    '',
  ];
}

function oneOnOneLines(meetings: readonly JournalOneOnOne[], agenda: readonly JournalAgendaItem[]): string[] {
  if (!meetings.length && !agenda.length) return [];
  const items = [...agenda].sort((a, b) => a.at.getTime() - b.at.getTime());
  return [
    '## 1:1s',
    '',
    ...meetings.map(
      (m) =>
        `- With ${escapeMarkdown(m.with)}: ${formatSlot(m)} (the mentor's time), ${m.everyWeeks === 2 ? 'every other week' : 'weekly'}`,
    ),
    ...(items.length
      ? [
          ...(meetings.length ? [''] : []),
          'What you added to the agenda:',
          '',
          ...items.map((i) =>
            i.text !== null
              ? `- **${day(i.at)}**: ${escapeMarkdown(oneLine(i.text))}`
              : `- **${day(i.at)}**: ${i.checkin ? `your check-in of ${day(i.checkin.at)}${i.checkin.competencyName ? ` on ${escapeMarkdown(i.checkin.competencyName)}` : ''}` : 'a check-in of yours'}`,
          ),
        ]
      : []),
    '',
  ];
}
