import { describe, expect, it } from 'vitest';
import { formatLocalWhen, workingDaysLater } from '../../src/growth/working-days.ts';

describe('workingDaysLater', () => {
  it('counts Monday to Friday in the member\u2019s own calendar, at their 10:00', () => {
    // Tuesday 1 December 2026, 15:00 in Berlin (UTC+1) → Thursday 3 December 10:00 local.
    expect(workingDaysLater(new Date('2026-12-01T14:00:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-12-03T09:00:00.000Z',
    );
  });

  it('skips the weekend: Thursday → Monday, Friday → Tuesday, Saturday → Tuesday', () => {
    expect(workingDaysLater(new Date('2026-12-03T12:00:00Z'), 'UTC').toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(workingDaysLater(new Date('2026-12-04T12:00:00Z'), 'UTC').toISOString()).toBe('2026-12-08T10:00:00.000Z');
    expect(workingDaysLater(new Date('2026-12-05T12:00:00Z'), 'UTC').toISOString()).toBe('2026-12-08T10:00:00.000Z');
  });

  it('takes the local date, not the UTC one: late Friday in New York is still Friday', () => {
    // Friday 4 December 22:00 in New York is Saturday 03:00Z; two working days from Friday → Tuesday 10:00 EST.
    expect(workingDaysLater(new Date('2026-12-05T03:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-12-08T15:00:00.000Z',
    );
    // Monday 7 December 08:00 in Auckland is Sunday 19:00Z: Wednesday 10:00 NZDT.
    expect(workingDaysLater(new Date('2026-12-06T19:00:00Z'), 'Pacific/Auckland').toISOString()).toBe(
      '2026-12-08T21:00:00.000Z',
    );
  });

  it('keeps 10:00 local across a daylight-saving change over the weekend', () => {
    // Friday 6 March 2026 in New York (EST, UTC-5); clocks go forward Sunday 8 March. Tuesday 10:00 EDT = 14:00Z.
    expect(workingDaysLater(new Date('2026-03-06T17:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-03-10T14:00:00.000Z',
    );
    // Friday 23 October 2026 in Berlin (CEST, UTC+2); clocks go back Sunday 25 October. Tuesday 10:00 CET = 09:00Z.
    expect(workingDaysLater(new Date('2026-10-23T08:00:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-10-27T09:00:00.000Z',
    );
  });

  it('counts other numbers of days and refuses nonsense', () => {
    expect(workingDaysLater(new Date('2026-12-04T12:00:00Z'), 'UTC', 5).toISOString()).toBe('2026-12-11T10:00:00.000Z');
    expect(() => workingDaysLater(new Date('2026-12-04T12:00:00Z'), 'UTC', 0)).toThrow(RangeError);
  });

  it('says when in words, in the member\u2019s zone', () => {
    expect(formatLocalWhen(new Date('2026-12-07T09:00:00Z'), 'Europe/Berlin')).toBe('Monday 7 December at 10:00');
  });
});
