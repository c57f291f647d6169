import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { ensurePerson, isJoined, joinMember, membersByIds, setSchedule } from '../db/members.ts';
import { currentMentorshipsOf, setMentor } from '../db/mentorships.ts';
import type { Deps } from '../deps.ts';
import { KnownError, yamlProblem } from '../errors.ts';
import {
  identityProblems,
  type PersonRef,
  type RosterProblem,
  type RosterRow,
  validateRoster,
} from '../growth/roster.ts';
import { formatSlot } from '../growth/schedule.ts';
import { personOf } from '../outbound/users.ts';
import { classifySlackError } from '../slack-errors.ts';

const COLUMNS = ['member', 'level', 'mentor', 'weekday', 'time'];

/** Reads a roster (.csv with a header row, or .yaml: a list of entries) keeping each row's line. */
async function readRoster(path: string): Promise<{ rows: RosterRow[]; problems: RosterProblem[] }> {
  const text = await readFile(path, 'utf8');
  if (/\.ya?ml$/i.test(path)) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    if (doc.errors.length) {
      const problems = doc.errors
        .map((e) => yamlProblem(e))
        .map((p) => ({
          line: p.line ?? 1,
          reason: `not valid YAML${p.column ? ` at column ${p.column}` : ''}: ${p.reason}`,
        }));
      return { rows: [], problems };
    }
    if (!isSeq(doc.contents))
      return {
        rows: [],
        problems: [{ line: 1, reason: 'a YAML roster is a list of entries (- member: …, level: …)' }],
      };
    const rows: RosterRow[] = [];
    const problems: RosterProblem[] = [];
    for (const item of doc.contents.items) {
      const line = lines.linePos((item as { range?: readonly number[] }).range?.[0] ?? 0).line;
      if (!isMap(item)) {
        problems.push({ line, reason: 'each entry needs member and level keys' });
        continue;
      }
      const o = item.toJSON() as Record<string, unknown>;
      const unknown = Object.keys(o).filter((k) => !COLUMNS.includes(k));
      if (unknown.length)
        problems.push({ line, reason: `unknown key(s) ${unknown.join(', ')} (keys: ${COLUMNS.join(', ')})` });
      const str = (k: string) => (o[k] === undefined || o[k] === null ? undefined : String(o[k]));
      rows.push({
        line,
        member: str('member'),
        level: str('level'),
        mentor: str('mentor'),
        weekday: str('weekday'),
        time: str('time'),
      });
    }
    return { rows, problems };
  }
  const firstLine = text.split(/\r?\n/, 1)[0]!;
  // Spreadsheets in many locales save "CSV" with semicolons: every row would fail, for one reason.
  if (!firstLine.includes(',') && firstLine.includes(';')) {
    return {
      rows: [],
      problems: [
        {
          line: 1,
          reason:
            "this file seems to use ';' — growthbot reads comma-separated values (save it again as comma-separated CSV)",
        },
      ],
    };
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (err) {
    return { rows: [], problems: [{ line: (err as { lines?: number }).lines ?? 1, reason: (err as Error).message }] };
  }
  const header = firstLine.split(',').map((c) =>
    c
      .trim()
      .toLowerCase()
      .replace(/^\uFEFF/, ''),
  );
  const problems: RosterProblem[] = [];
  for (const col of ['member', 'level'])
    if (!header.includes(col))
      problems.push({ line: 1, reason: `the header has no "${col}" column (columns: ${COLUMNS.join(', ')})` });
  const extra = header.filter((c) => c && !COLUMNS.includes(c));
  if (extra.length)
    problems.push({ line: 1, reason: `unknown column(s) ${extra.join(', ')} (columns: ${COLUMNS.join(', ')})` });
  const rows = records.map(({ record, info }) => ({
    line: info.lines,
    member: record.member,
    level: record.level,
    mentor: record.mentor,
    weekday: record.weekday,
    time: record.time,
  }));
  return { rows, problems };
}

export interface ImportReport {
  problems: RosterProblem[];
  changes: string[];
  unchanged: number;
  written: boolean;
}

/**
 * Imports a roster: the whole file is checked (and e-mails resolved with users.lookupByEmail)
 * before anything is written; then every change is made in one transaction. Importing the
 * same file again changes nothing; a new mentor ends the old mentorship (history is kept).
 */
export async function importRoster(deps: Deps, path: string, opts: { dryRun: boolean }): Promise<ImportReport> {
  const read = await readRoster(path);
  const { entries, problems } = validateRoster(read.rows);
  problems.unshift(...read.problems);
  const ids = new Map<string, string>();
  const emails = new Set(
    entries
      .flatMap((e) => [e.member, e.mentor])
      .filter((r): r is PersonRef & { kind: 'email' } => r?.kind === 'email')
      .map((r) => r.email),
  );
  await Promise.all(
    [...emails].map(async (email) => {
      try {
        const res = await deps.queue.run(() => deps.slack.users.lookupByEmail({ email }), 'users.lookupByEmail');
        if (res.user?.id) ids.set(email, res.user.id);
      } catch (err) {
        const f = classifySlackError(err);
        // Slack unreachable or the token refused: src/errors.ts says which setting to fix.
        if (f.kind !== 'refused' || f.code !== 'users_not_found') throw err;
      }
    }),
  );
  const idOf = (r: PersonRef) => (r.kind === 'id' ? r.id : ids.get(r.email));
  for (const e of entries) {
    for (const [what, ref] of [
      ['member', e.member],
      ['mentor', e.mentor],
    ] as const) {
      if (ref?.kind === 'email' && !ids.has(ref.email))
        problems.push({ line: e.line, reason: `${what} e-mail ${ref.email} matches nobody in this Slack workspace` });
    }
  }
  const resolved = entries.filter((e) => idOf(e.member) && (!e.mentor || idOf(e.mentor)));
  problems.push(
    ...identityProblems(
      resolved.map((e) => ({
        line: e.line,
        member: { kind: 'id' as const, id: idOf(e.member)! },
        mentor: e.mentor ? { kind: 'id' as const, id: idOf(e.mentor)! } : null,
      })),
    ),
  );
  if (problems.length) return { problems: dedupe(problems), changes: [], unchanged: 0, written: false };

  const teamId = (await deps.slack.auth.test()).team_id;
  if (!teamId) throw new KnownError('Slack did not say which workspace this token belongs to; nothing was written');
  const plan = resolved.map((e) => ({ ...e, userId: idOf(e.member)!, mentorId: e.mentor ? idOf(e.mentor)! : null }));
  const everyone = [...new Set(plan.flatMap((p) => [p.userId, ...(p.mentorId ? [p.mentorId] : [])]))];
  // Whose zone we read before (not someone who only wrote to the bot: their row has the default).
  const knownIds = new Set(
    (await membersByIds(deps.db, teamId, everyone)).filter((m) => m.tzCheckedAt).map((m) => m.userId),
  );
  // Timezones of people new to us, read before the transaction so it holds no locks while Slack answers.
  const tzs = new Map(
    await Promise.all(
      everyone.filter((id) => !knownIds.has(id)).map(async (id) => [id, await lookupTz(deps, id)] as const),
    ),
  );
  const now = deps.now();
  return deps.db
    .transaction()
    .execute(async (tx) => {
      const changes: string[] = [];
      let unchanged = 0;
      const people = new Map((await membersByIds(tx, teamId, everyone)).map((m) => [m.userId, m]));
      const mentors = new Map(
        (
          await currentMentorshipsOf(
            tx,
            teamId,
            plan.map((p) => p.userId),
          )
        ).map((m) => [m.menteeId, m.mentorId]),
      );
      for (const p of plan) {
        const before = changes.length;
        const m = people.get(p.userId);
        const joined = isJoined(m) ? m : undefined;
        const weekday = p.weekday ?? joined?.promptWeekday ?? 1;
        const minute = p.minute ?? joined?.promptMinute ?? 600;
        if (!joined)
          changes.push(`line ${p.line}: ${p.userId} joins at ${p.level}, prompts ${formatSlot({ weekday, minute })}`);
        else {
          if (joined.level !== p.level) changes.push(`line ${p.line}: ${p.userId} level ${joined.level} → ${p.level}`);
          if (joined.promptWeekday !== weekday || joined.promptMinute !== minute)
            changes.push(`line ${p.line}: ${p.userId} prompts ${formatSlot({ weekday, minute })}`);
        }
        if (changes.length > before) {
          // Someone we already know keeps their name and timezone; a newcomer gets the zone Slack gave.
          const person = {
            teamId,
            userId: p.userId,
            displayName: m?.displayName ?? null,
            tz: (m?.tzCheckedAt ? m.tz : tzs.get(p.userId)) ?? null,
          };
          await joinMember(tx, { ...person, level: p.level }, now);
          await setSchedule(tx, teamId, p.userId, weekday, minute, now);
        }
        if (p.mentorId && mentors.get(p.userId) !== p.mentorId) {
          await ensurePerson(
            tx,
            { teamId, userId: p.mentorId, displayName: null, tz: tzs.get(p.mentorId) ?? null },
            now,
          );
          await setMentor(tx, teamId, p.userId, p.mentorId, now);
          changes.push(`line ${p.line}: ${p.userId} mentor ${mentors.get(p.userId) ?? 'none'} → ${p.mentorId}`);
          mentors.set(p.userId, p.mentorId);
        }
        if (changes.length === before) unchanged++;
      }
      if (opts.dryRun) throw new DryRun({ problems: [], changes, unchanged, written: false });
      return { problems: [], changes, unchanged, written: true };
    })
    .catch((err: unknown) => {
      if (err instanceof DryRun) return err.report;
      throw err;
    });
}

/** A dry run does all the work in the transaction, then rolls it back. */
class DryRun extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/** Null when Slack could not say: the row is left unchecked (UTC) for the refresh-timezones job. */
async function lookupTz(deps: Deps, userId: string): Promise<string | null> {
  try {
    return (
      personOf((await deps.queue.run(() => deps.slack.users.info({ user: userId }), 'users.info')).user)?.tz ?? null
    );
  } catch {
    return null;
  }
}

function dedupe(problems: RosterProblem[]): RosterProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => !seen.has(`${p.line}:${p.reason}`) && seen.add(`${p.line}:${p.reason}`))
    .sort((a, b) => a.line - b.line);
}
