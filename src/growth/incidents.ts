import { DAY_MS } from './durations.ts';
import { workingDaysLater } from './working-days.ts';

/** The longest incident title kept (a link is kept whole, up to Slack's own limits). */
const INCIDENT_TITLE_MAX = 200;
/** Days after a reflection that named an action item when the follow-up question comes. */
const FOLLOW_UP_DAYS = 30;
/**
 * How long a held reflection or follow-up (the member was paused) is still worth sending
 * after its time: past this it is recorded as skipped.
 */
export const STILL_RELEVANT_MS = 14 * DAY_MS;

export type IncidentRef =
  | { ok: true; key: string; link: string | null; title: string | null }
  | { ok: false; problem: string };

/**
 * `/growth incident <link or title>`: a link (as Slack sends it, `<https://…>` or
 * `<https://…|label>`, or bare) or a title. The key makes the same link, or the same title
 * however it is spaced or capitalised, one incident.
 */
export function parseIncident(text: string): IncidentRef {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t)
    return {
      ok: false,
      problem:
        'Say which incident: `/growth incident https://status.example.com/incidents/42` or `/growth incident Checkout outage 3 Dec`.',
    };
  const m = /^<(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>$/i.exec(t) ?? /^(https?:\/\/\S+)$/i.exec(t);
  if (m) {
    const link = m[1]!;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return { ok: false, problem: 'That link does not look like a web address.' };
    }
    url.hash = '';
    const key = `link:${url.toString().replace(/\/$/, '')}`;
    return key.length > 2000
      ? { ok: false, problem: 'That link is too long to keep (2000 characters at most).' }
      : { ok: true, key, link: url.toString(), title: null };
  }
  if (t.length > INCIDENT_TITLE_MAX)
    return {
      ok: false,
      problem: `An incident title may be up to ${INCIDENT_TITLE_MAX} characters (that one has ${t.length}).`,
    };
  return { ok: true, key: `title:${t.toLowerCase()}`, link: null, title: t };
}

export const channelIncidentKey = (channelId: string) => `channel:${channelId}`;

export interface Participation {
  source: 'command' | 'channel';
  /** When they told us (command) or joined the channel. */
  reportedAt: Date;
  lastMessageAt: Date | null;
  archivedAt: Date | null;
}

/**
 * When the reflection is due, at the member's own 10:00:
 * - told by command: two working days after they told us;
 * - an incident channel: two working days after the channel was archived or after their
 *   last message there (their joining, if they never wrote), whichever comes first.
 */
export function reflectionDue(p: Participation, tz: string): Date {
  if (p.source === 'command') return workingDaysLater(p.reportedAt, tz);
  const lastWord = p.lastMessageAt && p.lastMessageAt > p.reportedAt ? p.lastMessageAt : p.reportedAt;
  const base = p.archivedAt && p.archivedAt < lastWord ? p.archivedAt : lastWord;
  return workingDaysLater(base, tz);
}

export const followUpDue = (reflectedAt: Date): Date => new Date(reflectedAt.getTime() + FOLLOW_UP_DAYS * DAY_MS);

/** Due, held too long (paused past its relevance: recorded as skipped), or not yet. */
export function dueState(dueAt: Date, now: Date): 'not-yet' | 'due' | 'stale' {
  if (now < dueAt) return 'not-yet';
  return now.getTime() - dueAt.getTime() > STILL_RELEVANT_MS ? 'stale' : 'due';
}

/** The configured incident-channel pattern, or a reason it is not a usable regular expression. */
export function compilePattern(source: string): RegExp | string {
  try {
    return new RegExp(source);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The competency an incident check-in is filed under by default: the level's incident or on-call one. */
export function incidentCompetency<C extends { id: string }>(competencies: readonly C[]): string | undefined {
  return (competencies.find((c) => /incident/.test(c.id)) ?? competencies.find((c) => /oncall|on-call/.test(c.id)))?.id;
}
