import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

import type { NamedEvent } from '../growth/oncall-match.ts';

/** One occurrence of an event in a feed, as instants (attendees from ATTENDEE lines: mailto and CN). */
export type FeedEvent = NamedEvent;

export class FeedFormatError extends Error {}

/**
 * Recurrence steps looked at per event, at most: a FREQ=SECONDLY rule ends there, and one such
 * event cannot use up the steps of the events after it. (A rule that never matches can stall
 * inside a single step: that is what the worker's time budget is for, see parse-budget.ts.)
 */
export const MAX_STEPS_PER_EVENT = 20_000;

const BAD_RULE = 'the feed has a repeating event whose rule cannot be read (RRULE, EXDATE or BYDAY)';

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Event = InstanceType<typeof ICAL.Event>;

/**
 * Reads an iCalendar feed into the occurrences that overlap [from, to): recurrence rules
 * expanded with EXDATE and RECURRENCE-ID overrides, times with a TZID read through the feed's
 * own VTIMEZONE (or as an IANA zone when the feed names one without defining it). Floating
 * times and all-day events are read in `zone`, the member's own time zone. No I/O.
 */
export function parseFeed(text: string, window: { from: Date; to: Date }, zone: string): FeedEvent[] {
  const calendar = readCalendar(text);
  const byUid = new Map<string, { master?: Component; exceptions: Component[] }>();
  for (const c of calendar.getAllSubcomponents('vevent')) {
    const uid = String(c.getFirstPropertyValue('uid') ?? '');
    if (!uid || !c.hasProperty('dtstart')) continue; // an event without these cannot be a shift
    const entry = byUid.get(uid) ?? { exceptions: [] };
    if (c.hasProperty('recurrence-id')) entry.exceptions.push(c);
    else entry.master = c;
    byUid.set(uid, entry);
  }
  const out: FeedEvent[] = [];
  const seen = new Set<string>();
  const keep = (e: FeedEvent | null) => {
    if (!e || e.endsAt <= window.from || e.startsAt >= window.to || e.endsAt <= e.startsAt) return;
    const key = `${e.uid}\n${e.startsAt.getTime()}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(e);
  };
  for (const [uid, { master, exceptions }] of byUid) {
    if (!master) {
      // Overrides whose recurring event is missing still describe real occurrences.
      for (const x of exceptions) keep(occurrence(uid, new ICAL.Event(x, { exceptions: [] }), null, null, zone));
      continue;
    }
    const event = new ICAL.Event(master, { exceptions });
    if (!event.isRecurring()) {
      keep(occurrence(uid, event, null, null, zone));
      continue;
    }
    try {
      const it = event.iterator();
      let steps = 0;
      for (let next = it.next(); next && steps < MAX_STEPS_PER_EVENT; next = it.next(), steps++) {
        if (toInstant(next, master, 'dtstart', zone) >= window.to) break;
        const d = event.getOccurrenceDetails(next);
        keep(occurrence(uid, d.item, d.startDate, d.endDate, zone));
      }
    } catch {
      // ical.js's message quotes the rule, which is the feed's content: not for a log or a message.
      throw new FeedFormatError(BAD_RULE);
    }
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.uid.localeCompare(b.uid));
}

function readCalendar(text: string): Component {
  const head = text.trimStart().slice(0, 200).toLowerCase();
  if (head.startsWith('<')) throw new FeedFormatError('the address returned a web page, not an iCalendar feed (.ics)');
  if (!head.startsWith('begin:vcalendar'))
    throw new FeedFormatError('the address did not return an iCalendar feed (it should start with BEGIN:VCALENDAR)');
  let root: Component;
  try {
    const jcal = ICAL.parse(text) as unknown[];
    root = new ICAL.Component((Array.isArray(jcal[0]) ? jcal[0] : jcal) as never);
  } catch {
    // ical.js quotes the offending line, which is the feed's content: not for a message.
    throw new FeedFormatError('the feed is not valid iCalendar (a line could not be read)');
  }
  if (root.name !== 'vcalendar') throw new FeedFormatError('the feed has no VCALENDAR');
  return root;
}

function occurrence(uid: string, item: Event, start: Time | null, end: Time | null, zone: string): FeedEvent | null {
  const c = item.component;
  if (String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return null;
  try {
    const s = start ?? item.startDate;
    const e = end ?? item.endDate;
    const allDay = s.isDate;
    const startsAt = toInstant(s, c, 'dtstart', zone);
    const endsAt = toInstant(e, c, c.hasProperty('dtend') ? 'dtend' : 'dtstart', zone);
    const attendees = c.getAllProperties('attendee').map((p) => {
      const v = String(p.getFirstValue() ?? '');
      const cn = p.getParameter('cn');
      return {
        email: /^mailto:/i.test(v) ? v.slice(7).trim().toLowerCase() || null : null,
        name: typeof cn === 'string' && cn.trim() ? cn.trim() : null,
      };
    });
    return { uid, startsAt, endsAt, allDay, summary: String(c.getFirstPropertyValue('summary') ?? ''), attendees };
  } catch {
    return null; // a date that cannot be read (e.g. an invalid TZID value): skip the event, keep the feed
  }
}

const ianaKnown = new Map<string, boolean>();
/** IANAZone.isValidZone builds an Intl formatter each call; the answer never changes. */
function isIana(name: string): boolean {
  let v = ianaKnown.get(name);
  if (v === undefined) ianaKnown.set(name, (v = IANAZone.isValidZone(name)));
  return v;
}

/**
 * The instant of a feed time. A TZID that is an IANA name is read with the IANA rules (luxon),
 * which are complete where a feed's VTIMEZONE often carries only this year's rules, and are
 * faster than expanding it; another TZID the feed defines is ical.js's arithmetic on its
 * VTIMEZONE; dates and floating times are wall-clock times in the member's zone.
 */
function toInstant(t: Time, c: Component, prop: 'dtstart' | 'dtend', zone: string): Date {
  const tzid = t.zone?.tzid;
  if (!t.isDate && tzid === 'UTC') return new Date(t.toUnixTime() * 1000);
  const named = c.getFirstProperty(prop)?.getParameter('tzid');
  const iana = !t.isDate && typeof named === 'string' && isIana(named);
  // A zone the feed defines under a name that is not IANA's (Outlook's "Eastern Standard Time"):
  // ical.js's arithmetic on the feed's own VTIMEZONE.
  if (!t.isDate && !iana && tzid && tzid !== 'floating') return new Date(t.toUnixTime() * 1000);
  const wallZone = iana ? (named as string) : zone;
  const dt = DateTime.fromObject(
    {
      year: t.year,
      month: t.month,
      day: t.day,
      hour: t.isDate ? 0 : t.hour,
      minute: t.isDate ? 0 : t.minute,
      second: t.isDate ? 0 : t.second,
    },
    { zone: wallZone },
  );
  if (!dt.isValid) throw new Error('invalid time');
  return dt.toJSDate();
}
