import { DateTime } from 'luxon';
import type { FeedInfo } from '../../db/oncall-feeds.ts';
import type { Shift } from '../../db/shifts.ts';
import { escapeText } from './progress.ts';

/** "Mon 7 Dec 09:00" in the member's zone; a whole day reads as "Mon 7 Dec (all day)". */
function when(at: Date, tz: string, allDay: boolean): string {
  const d = DateTime.fromJSDate(at, { zone: tz });
  return allDay ? `${d.toFormat('ccc d LLL')} (all day)` : d.toFormat('ccc d LLL HH:mm');
}

export function shiftLine(s: Pick<Shift, 'startsAt' | 'endsAt' | 'allDay'>, tz: string, now: Date): string {
  const end = s.allDay ? new Date(s.endsAt.getTime() - 1) : s.endsAt;
  const span = `${when(s.startsAt, tz, s.allDay)} → ${when(end, tz, s.allDay)} (${tz})`;
  return s.startsAt <= now ? `on call now, until ${when(end, tz, s.allDay)} (${tz})` : span;
}

export const ONCALL_USAGE =
  'Paste your on-call feed link (iCalendar, `https://…` or `webcal://…`, from PagerDuty, Opsgenie, Grafana OnCall or Google Calendar): `/growth oncall <link>`; `/growth oncall off` removes it.';

/** How often feeds are read again (ONCALL_FEED_INTERVAL_MINUTES) in words: "every 30 minutes", "every day", "every 4 weeks". */
export function everyInterval(minutes: number): string {
  const [n, unit] =
    minutes % (7 * 1440) === 0
      ? [minutes / (7 * 1440), 'week']
      : minutes % 1440 === 0
        ? [minutes / 1440, 'day']
        : minutes % 60 === 0
          ? [minutes / 60, 'hour']
          : [minutes, 'minute'];
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

/** What happens next to a feed that could not be read: tried again, or only a corrected link helps. */
export function whatNext(lasting: boolean | undefined, intervalMinutes: number): string {
  return lasting ? 'Reading that link again will not help' : `I will try it again ${everyInterval(intervalMinutes)}`;
}

/** The answer to `/growth oncall <link>` when the new feed could not be read. */
export function feedNotRead(masked: string, problem: string, lasting: boolean | undefined, intervalMinutes: number) {
  return `I saved your on-call feed (${masked}) but could not read it: ${problem}. ${whatNext(lasting, intervalMinutes)}; paste a corrected link with \`/growth oncall <link>\`, or \`/growth oncall off\`.`;
}

/** The answer to `/growth oncall <link>` once the feed has been read; feeds are read again every `intervalMinutes`. */
export function feedRead(
  masked: string,
  found: number,
  next: Shift | undefined,
  tz: string,
  now: Date,
  intervalMinutes: number,
): string {
  const nextLine = !next
    ? 'None of them is still to come.'
    : next.startsAt <= now
      ? `You are ${shiftLine(next, tz, now)}.`
      : `Next: ${shiftLine(next, tz, now)}.`;
  if (!found)
    return `Your on-call feed (${masked}) is saved, but I found no shifts in it from two weeks ago to two months ahead. Is it the right calendar?`;
  return `Your on-call feed (${masked}) is saved: ${found} shift${found === 1 ? '' : 's'} from two weeks ago to two months ahead. ${nextLine} I read it again ${everyInterval(intervalMinutes)}.`;
}

/** What the owner hears, once, when their feed stops working. */
export function feedBroken(
  f: { kind: 'member' | 'schedule'; masked: string; problem: string; id: string; lasting?: boolean | undefined },
  intervalMinutes: number,
): string {
  const then = `${whatNext(f.lasting, intervalMinutes)}.`;
  if (f.kind === 'member') {
    return (
      `I could not read your on-call feed (${f.masked}): ${f.problem}. Your last known shifts are kept. ${then} ` +
      'Paste a new link with `/growth oncall <link>`, or stop with `/growth oncall off`.'
    );
  }
  return (
    `I could not read on-call schedule feed #${f.id} (${f.masked}): ${f.problem}. Its last known shifts are kept. ${then} ` +
    `\`/growth admin oncall-feed remove ${f.id}\` removes it.`
  );
}

export function unmatchedLine(names: readonly string[]): string {
  if (!names.length) return '';
  const shown = names
    .slice(0, 20)
    .map((n) => `“${escapeText(n.slice(0, 80))}”`)
    .join(', ');
  return ` Names that matched no member (by Slack e-mail, display or real name; not guessed): ${shown}${names.length > 20 ? ` and ${names.length - 20} more` : ''}.`;
}

export function feedListLine(f: FeedInfo, tz: string): string {
  const state = f.lastError
    ? `*not working*: ${f.lastError}`
    : f.lastOkAt
      ? `read ${when(f.lastOkAt, tz, false)}`
      : 'not read yet';
  return `• #${f.id} ${f.urlMasked} (added by <@${f.createdBy}>) — ${state}.${unmatchedLine(f.unmatched)}`;
}
