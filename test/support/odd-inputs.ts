// Inputs from outside that once stopped the bot, shared by the focused tests and the fuzz tests.

/** Request bodies that are valid JSON but not an object (Bolt reads `body.ssl_check` from them). */
export const ODD_JSON = ['null', '1', '-0.5', '"ssl_check"', 'true', 'false', '[]', '[null]', '[{"type":"x"}]'];

const calendar = (body: string) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//growthbot tests//EN', body, 'END:VCALENDAR', ''].join('\r\n');
const event = (uid: string, lines: string[]) =>
  ['BEGIN:VEVENT', `UID:${uid}`, 'SUMMARY:On call', ...lines, 'END:VEVENT'].join('\r\n');

/** iCalendar feeds that once hung the process or blocked its event loop. */
export const ICAL_ATTACKS = {
  /** 30 February never comes: ical.js searches for it without end (and past 1 GB). */
  neverMatches: calendar(
    event('never@attack', [
      'DTSTART:20261101T090000Z',
      'DTEND:20261101T170000Z',
      'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    ]),
  ),
  /** The feed's own time zone changes every minute since 1970. */
  minutelyZone: calendar(
    [
      'BEGIN:VTIMEZONE',
      'TZID:Every Minute',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'RRULE:FREQ=MINUTELY',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'TZNAME:EM',
      'END:STANDARD',
      'END:VTIMEZONE',
      event('tz@attack', [
        'DTSTART;TZID=Every Minute:20261201T090000',
        'DTEND;TZID=Every Minute:20261201T170000',
        'RRULE:FREQ=WEEKLY',
      ]),
    ].join('\r\n'),
  ),
};

/** Recurrence lines ical.js cannot read (a feed error, never a crash). */
export const MALFORMED_RULES = [
  'RRULE:FREQ=WEEKLY;BYDAY=XX',
  'RRULE:FREQ=WEEKLY;BYDAY=1000MO',
  'RRULE:FREQ=SOMETIMES',
  'RRULE:FREQ=WEEKLY;INTERVAL=0',
  'RRULE:FREQ=MONTHLY;BYMONTHDAY=99',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,,TU',
  'RRULE:FREQ=WEEKLY;UNTIL=garbage',
  'RRULE:FREQ=YEARLY;BYWEEKNO=99',
  'RRULE:FREQ=WEEKLY;BYSETPOS=0;BYDAY=MO',
  'EXDATE;TZID=Nowhere/Zone:20261109T080000',
  'RRULE:FREQ=WEEKLY;COUNT=-1',
  'RRULE:FREQ=DAILY;BYHOUR=99',
  'EXDATE:not-a-date',
];

/** A weekly shift with one extra recurrence line. */
export const withRule = (line: string): string =>
  calendar(
    event('rule@attack', ['DTSTART:20261102T080000Z', 'DTEND:20261109T080000Z', 'RRULE:FREQ=WEEKLY', line]),
  ).replace('RRULE:FREQ=WEEKLY\r\nRRULE:', 'RRULE:');
