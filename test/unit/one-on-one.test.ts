import { describe, expect, it } from 'vitest';
import {
  AGENDA_LEAD_MS,
  nextMeeting,
  type OneOnOneSchedule,
  oneOnOneDue,
  previousMeeting,
  TAKEAWAY_AFTER_MS,
} from '../../src/growth/one-on-one.ts';

const BERLIN = 'Europe/Berlin';
const tuesday10 = (everyWeeks: 1 | 2, anchorWeek = '2027-W12'): OneOnOneSchedule => ({
  weekday: 2,
  minute: 600,
  everyWeeks,
  anchorWeek,
});

describe('1:1 meetings in the mentor’s zone', () => {
  it('keep their local time across the spring DST change (10:00 Berlin is 09:00Z, then 08:00Z)', () => {
    const s = tuesday10(1);
    const before = nextMeeting(new Date('2027-03-20T00:00:00Z'), s, BERLIN);
    expect(before.toISOString()).toBe('2027-03-23T09:00:00.000Z');
    const after = nextMeeting(before, s, BERLIN);
    expect(after.toISOString()).toBe('2027-03-30T08:00:00.000Z'); // DST began on 28 March
    expect(previousMeeting(new Date('2027-03-30T08:30:00Z'), s, BERLIN)).toEqual(after);
  });

  it('fortnightly: only weeks of the anchor week’s parity', () => {
    const s = tuesday10(2, '2027-W12');
    const first = nextMeeting(new Date('2027-03-22T00:00:00Z'), s, BERLIN); // W12
    const second = nextMeeting(first, s, BERLIN);
    expect(first.toISOString()).toBe('2027-03-23T09:00:00.000Z');
    expect(second.toISOString()).toBe('2027-04-06T08:00:00.000Z'); // W14, skipping W13
  });

  it('the agenda is due 24 hours before; the takeaway an hour after, and not once stale', () => {
    const s = tuesday10(1);
    const meeting = new Date('2027-03-30T08:00:00Z');
    const justBefore = new Date(meeting.getTime() - AGENDA_LEAD_MS - 60_000);
    expect(oneOnOneDue(justBefore, s, BERLIN).agenda).toBeNull();
    expect(oneOnOneDue(new Date(meeting.getTime() - AGENDA_LEAD_MS), s, BERLIN).agenda).toEqual(meeting);
    expect(oneOnOneDue(new Date(meeting.getTime() + 30 * 60_000), s, BERLIN).takeaway).toBeNull();
    expect(oneOnOneDue(new Date(meeting.getTime() + TAKEAWAY_AFTER_MS), s, BERLIN).takeaway).toEqual(meeting);
    expect(oneOnOneDue(new Date(meeting.getTime() + 3 * AGENDA_LEAD_MS), s, BERLIN).takeaway).toBeNull();
  });
});
