import { LEVELS, type Level } from '../rubrics/schema.ts';
import { USER_ID } from '../slack-ids.ts';
import { parseTime, parseWeekday, type Weekday } from './schedule.ts';

/** One row of a roster file, as written, with the line it came from. */
export interface RosterRow {
  line: number;
  member?: string | undefined;
  level?: string | undefined;
  mentor?: string | undefined;
  weekday?: string | undefined;
  time?: string | undefined;
}

export type PersonRef = { kind: 'id'; id: string } | { kind: 'email'; email: string };

export interface RosterEntry {
  line: number;
  member: PersonRef;
  level: Level;
  mentor: PersonRef | null;
  weekday: Weekday | null;
  minute: number | null;
}

export interface RosterProblem {
  line: number;
  reason: string;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function parseRef(text: string): PersonRef | null {
  const t = text.trim();
  if (USER_ID.test(t)) return { kind: 'id', id: t };
  if (EMAIL.test(t)) return { kind: 'email', email: t.toLowerCase() };
  return null;
}

const refText = (r: PersonRef) => (r.kind === 'id' ? r.id : r.email);

/**
 * Checks every row and reports every problem with its line; a roster is written only when
 * this returns no problems. Identity checks (duplicates, mentor = member) are repeated after
 * e-mails are resolved, since an e-mail and an id may name the same person.
 */
export function validateRoster(rows: readonly RosterRow[]): { entries: RosterEntry[]; problems: RosterProblem[] } {
  const problems: RosterProblem[] = [];
  const entries: RosterEntry[] = [];
  for (const row of rows) {
    const before = problems.length;
    const bad = (reason: string) => problems.push({ line: row.line, reason });
    const member = row.member ? parseRef(row.member) : null;
    if (!row.member?.trim()) bad('member is missing (a Slack user id like U012ABC, or an e-mail)');
    else if (!member) bad(`member "${row.member}" is neither a Slack user id (U012ABC) nor an e-mail address`);
    const level = (row.level ?? '').trim().toLowerCase();
    if (!(LEVELS as readonly string[]).includes(level))
      bad(`${level ? `unknown level "${row.level}"` : 'level is missing'} (levels: ${LEVELS.join(', ')})`);
    const mentor = row.mentor?.trim() ? parseRef(row.mentor) : null;
    if (row.mentor?.trim() && !mentor) bad(`mentor "${row.mentor}" is neither a Slack user id nor an e-mail address`);
    const weekday = row.weekday?.trim() ? parseWeekday(row.weekday) : null;
    if (row.weekday?.trim() && weekday === null) bad(`weekday "${row.weekday}" is not a day (monday … sunday)`);
    const minute = row.time?.trim() ? parseTime(row.time) : null;
    if (row.time?.trim() && minute === null) bad(`time "${row.time}" is not a 24-hour HH:MM time`);
    if (problems.length === before && member) {
      entries.push({ line: row.line, member, level: level as Level, mentor, weekday, minute });
    }
  }
  problems.push(...identityProblems(entries));
  return { entries, problems: problems.sort((a, b) => a.line - b.line) };
}

/** Same member twice, or someone as their own mentor, by whatever names they are given. */
export function identityProblems(
  entries: readonly { line: number; member: PersonRef; mentor: PersonRef | null }[],
): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const seen = new Map<string, number>();
  for (const e of entries) {
    const k = refText(e.member);
    const first = seen.get(k);
    if (first !== undefined) problems.push({ line: e.line, reason: `member ${k} is already on line ${first}` });
    else seen.set(k, e.line);
    if (e.mentor && refText(e.mentor) === k) problems.push({ line: e.line, reason: `${k} cannot be their own mentor` });
  }
  return problems;
}
