import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedFormatError, parseFeed } from '../../src/oncall/ical.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ical/${name}`, import.meta.url), 'utf8');
const window = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-04-15T00:00:00Z') };
const spans = (text: string, zone = 'Europe/Berlin', w = window) =>
  parseFeed(text, w, zone).map(
    (e) => `${e.startsAt.toISOString()} ${e.endsAt.toISOString()}${e.allDay ? ' all-day' : ''}`,
  );

describe('reading on-call feeds (iCalendar)', () => {
  it('expands a fortnightly shift, leaving out the exception date and moving the overridden one', () => {
    const s = spans(fixture('weekly-berlin.ics'));
    expect(s.slice(0, 4)).toEqual([
      '2026-11-02T08:00:00.000Z 2026-11-09T08:00:00.000Z',
      // 2026-11-16 is an EXDATE; 2026-11-30 was moved to 1–7 December by a RECURRENCE-ID override.
      '2026-12-01T08:00:00.000Z 2026-12-07T08:00:00.000Z',
      '2026-12-14T08:00:00.000Z 2026-12-21T08:00:00.000Z',
      '2026-12-28T08:00:00.000Z 2027-01-04T08:00:00.000Z',
    ]);
    expect(s.some((x) => x.startsWith('2026-11-16'))).toBe(false);
    expect(s.some((x) => x.startsWith('2026-11-30'))).toBe(false);
  });

  it('keeps 09:00 local across the spring-forward change (the shift is an hour shorter)', () => {
    const s = spans(fixture('weekly-berlin.ics'));
    expect(s).toContain('2027-03-22T08:00:00.000Z 2027-03-29T07:00:00.000Z');
    expect(s).toContain('2027-04-05T07:00:00.000Z 2027-04-12T07:00:00.000Z');
  });

  it('reads a feed in another zone by its own VTIMEZONE (even a Windows name), or an IANA TZID, and skips cancelled events', () => {
    expect(spans(fixture('new-york.ics'))).toEqual([
      '2026-12-07T14:00:00.000Z 2026-12-08T14:00:00.000Z',
      '2026-12-09T17:00:00.000Z 2026-12-10T05:00:00.000Z',
    ]);
  });

  it("reads all-day events as whole days and floating times in the member's zone", () => {
    expect(spans(fixture('all-day.ics'), 'Europe/Berlin')).toEqual([
      '2026-12-09T23:00:00.000Z 2026-12-11T23:00:00.000Z all-day',
      '2026-12-14T08:00:00.000Z 2026-12-14T20:00:00.000Z',
    ]);
    expect(spans(fixture('all-day.ics'), 'Asia/Tokyo')[0]).toBe(
      '2026-12-09T15:00:00.000Z 2026-12-11T15:00:00.000Z all-day',
    );
  });

  it('keeps only occurrences that overlap the window, and stops an endless rule', { timeout: 60_000 }, () => {
    const narrow = { from: new Date('2026-12-10T00:00:00Z'), to: new Date('2026-12-20T00:00:00Z') };
    expect(spans(fixture('weekly-berlin.ics'), 'Europe/Berlin', narrow)).toEqual([
      '2026-12-14T08:00:00.000Z 2026-12-21T08:00:00.000Z',
    ]);
    const minutely = fixture('all-day.ics').replace(
      'DTEND:20261214T210000',
      'DTEND:20261214T090030\r\nRRULE:FREQ=SECONDLY',
    );
    // Ten million occurrences without the step cap: the test's own timeout would catch a hang.
    expect(parseFeed(minutely, window, 'UTC').length).toBeLessThanOrEqual(20_001);
  });

  it('gives each event its own recurrence steps: an endless rule first does not drop the shifts after it', () => {
    const endlessFirst = fixture('all-day.ics').replace(
      'DTEND:20261214T210000',
      'DTEND:20261214T090030\r\nRRULE:FREQ=SECONDLY',
    );
    const weeklyAfter = fixture('weekly-berlin.ics').replace(/^BEGIN:VCALENDAR\r?\n/, '');
    const both = endlessFirst.replace(/END:VCALENDAR\s*$/, weeklyAfter);
    const events = parseFeed(both, window, 'Europe/Berlin');
    const alone = parseFeed(fixture('weekly-berlin.ics'), window, 'Europe/Berlin');
    expect(alone.length).toBeGreaterThan(5);
    for (const e of alone) expect(events.some((x) => x.uid === e.uid && +x.startsAt === +e.startsAt)).toBe(true);
  });

  it('says clearly what is wrong with a malformed feed or a web page, without quoting it', () => {
    expect(() => parseFeed(fixture('malformed.ics'), window, 'UTC')).toThrow(FeedFormatError);
    expect(() => parseFeed(fixture('malformed.ics'), window, 'UTC')).toThrow('not valid iCalendar');
    expect(() => parseFeed('<!doctype html><html>Sign in</html>', window, 'UTC')).toThrow('web page');
    expect(() => parseFeed('{"shifts": []}', window, 'UTC')).toThrow('BEGIN:VCALENDAR');
  });

  it('reads the people an event names', () => {
    const text = fixture('all-day.ics').replace(
      'SUMMARY:On call (all day)',
      'SUMMARY:On Call - Ada Lovelace - Primary\r\nATTENDEE;CN=Ada Lovelace:mailto:Ada@Example.com',
    );
    const [e] = parseFeed(text, window, 'UTC');
    expect(e).toMatchObject({
      summary: 'On Call - Ada Lovelace - Primary',
      attendees: [{ email: 'ada@example.com', name: 'Ada Lovelace' }],
    });
  });
});
