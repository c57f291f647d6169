import { describe, expect, it } from 'vitest';
import { formatLocalDate, MAX_PAUSE_WEEKS, type PauseUntil, pauseUntil } from '../../src/growth/pause.ts';

const LA = 'America/Los_Angeles';
const KOLKATA = 'Asia/Kolkata';
const WEEK_MS = 7 * 24 * 3600 * 1000;
const NOW = new Date('2026-12-01T12:00:00Z');

function until(r: PauseUntil): string {
  if (!r.ok) throw new Error(`expected a pause, got: ${r.problem}`);
  return r.until.toISOString();
}

function problem(r: PauseUntil): string {
  if (r.ok) throw new Error(`expected a refusal, got a pause until ${r.until.toISOString()}`);
  return r.problem;
}

describe('pauseUntil: weeks', () => {
  it('with nothing given pauses for one week', () => {
    expect(until(pauseUntil(null, NOW, LA))).toBe(new Date(NOW.getTime() + WEEK_MS).toISOString());
  });

  it.each([1, 2, 6, 12])('pauses for %i week(s)', (weeks) => {
    expect(until(pauseUntil(String(weeks), NOW, KOLKATA))).toBe(
      new Date(NOW.getTime() + weeks * WEEK_MS).toISOString(),
    );
  });

  it('tolerates spaces around the number', () => {
    expect(until(pauseUntil('  3 ', NOW, LA))).toBe(new Date(NOW.getTime() + 3 * WEEK_MS).toISOString());
  });

  it.each(['0', '13', '52', '100'])('refuses %s weeks, naming the range', (weeks) => {
    expect(MAX_PAUSE_WEEKS).toBe(12);
    const p = problem(pauseUntil(weeks, NOW, LA));
    expect(p).toContain('1 to 12 weeks');
    expect(p).toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('pauseUntil: a date', () => {
  it('pauses until that day begins in Los Angeles (08:00 UTC in winter)', () => {
    expect(until(pauseUntil('2027-01-10', NOW, LA))).toBe('2027-01-10T08:00:00.000Z');
  });

  it('uses the summer offset for a summer date in Los Angeles (07:00 UTC)', () => {
    expect(until(pauseUntil('2027-07-04', new Date('2027-06-01T12:00:00Z'), LA))).toBe('2027-07-04T07:00:00.000Z');
  });

  it('pauses until that day begins in Kolkata (18:30 UTC the day before)', () => {
    expect(until(pauseUntil('2027-01-10', NOW, KOLKATA))).toBe('2027-01-09T18:30:00.000Z');
  });

  it('on a day whose midnight is skipped (Santiago springs forward at 00:00), pauses until 01:00', () => {
    const r = pauseUntil('2026-09-06', new Date('2026-08-01T00:00:00Z'), 'America/Santiago');
    expect(until(r)).toBe('2026-09-06T04:00:00.000Z');
  });

  it('the same date is a different instant for members in different zones', () => {
    const la = until(pauseUntil('2027-01-10', NOW, LA));
    const kolkata = until(pauseUntil('2027-01-10', NOW, KOLKATA));
    expect(Date.parse(la) - Date.parse(kolkata)).toBe(13.5 * 3600 * 1000);
  });

  it('accepts tomorrow by the member’s own calendar', () => {
    // 03:00 UTC on 1 December is still 30 November in Los Angeles.
    const now = new Date('2026-12-01T03:00:00Z');
    expect(until(pauseUntil('2026-12-01', now, LA))).toBe('2026-12-01T08:00:00.000Z');
  });

  it('refuses today by the member’s own calendar', () => {
    const now = new Date('2026-12-01T03:00:00Z');
    // 30 November in Los Angeles, 1 December (08:30) in Kolkata.
    expect(problem(pauseUntil('2026-11-30', now, LA))).toMatch(/passed/);
    expect(problem(pauseUntil('2026-12-01', now, KOLKATA))).toMatch(/passed/);
  });

  it('refuses a date in the past, suggesting a later day', () => {
    const p = problem(pauseUntil('2026-11-01', NOW, LA));
    expect(p).toMatch(/passed/);
    expect(p).toMatch(/after today/);
    expect(problem(pauseUntil('1999-01-01', NOW, LA))).toMatch(/passed/);
  });

  it('accepts a date just under a year ahead', () => {
    expect(until(pauseUntil('2027-11-30', NOW, 'UTC'))).toBe('2027-11-30T00:00:00.000Z');
  });

  it('refuses a date more than a year ahead', () => {
    expect(problem(pauseUntil('2027-12-03', NOW, 'UTC'))).toMatch(/at most a year/);
    expect(problem(pauseUntil('2030-01-01', NOW, LA))).toMatch(/at most a year/);
  });

  it.each(['2027-02-30', '2027-02-29', '2027-13-01', '2027-00-10', '2027-04-31'])(
    'refuses %s, which is not on the calendar',
    (text) => {
      const p = problem(pauseUntil(text, NOW, LA));
      expect(p).toContain(text);
      expect(p).toMatch(/not a date/);
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(until(pauseUntil('2028-02-29', new Date('2027-12-01T12:00:00Z'), 'UTC'))).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('pauseUntil: anything else', () => {
  it.each(['tomorrow', 'two', '2 weeks', '1.5', '-1', '10-01-2027', '2027/01/10', '2027-1-10', '', 'pause'])(
    'refuses %j and shows both forms that work',
    (text) => {
      const p = problem(pauseUntil(text, NOW, LA));
      expect(p).toContain('/growth pause 2');
      expect(p).toMatch(/\/growth pause \d{4}-\d{2}-\d{2}/);
    },
  );
});

describe('formatLocalDate', () => {
  it('names the day in the member’s own calendar', () => {
    const at = new Date('2027-01-10T03:00:00Z');
    expect(formatLocalDate(at, LA)).toBe('Saturday 9 January 2027');
    expect(formatLocalDate(at, KOLKATA)).toBe('Sunday 10 January 2027');
    expect(formatLocalDate(at, 'UTC')).toBe('Sunday 10 January 2027');
  });

  it.each([LA, KOLKATA, 'UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe'])(
    'a pause until 2027-01-10 is confirmed as Sunday 10 January 2027 in %s',
    (tz) => {
      const r = pauseUntil('2027-01-10', NOW, tz);
      if (!r.ok) throw new Error(r.problem);
      expect(formatLocalDate(r.until, tz)).toBe('Sunday 10 January 2027');
    },
  );
});

// Edges found by mutation testing (npm run mutation): each line fails when its bound moves by one.
describe('pauseUntil: the edges', () => {
  const LA_MIDNIGHT = new Date('2026-12-01T08:00:00Z'); // 1 December 00:00 in Los Angeles

  it('refuses the very instant that is now, and accepts a year and a day ahead but not a moment more', () => {
    expect(problem(pauseUntil('2026-12-01', LA_MIDNIGHT, LA))).toContain('has passed');
    // 2 December 2027 begins 366 days after 1 December 2026 began (no DST change between the two).
    expect(until(pauseUntil('2027-12-02', LA_MIDNIGHT, LA))).toBe('2027-12-02T08:00:00.000Z');
    expect(problem(pauseUntil('2027-12-03', LA_MIDNIGHT, LA))).toBe('Pause for at most a year.');
  });

  it.each(['x2027-01-10', '2027-01-10x', '2027-01-10 2'])('reads %j as neither weeks nor a date', (text) => {
    expect(problem(pauseUntil(text, NOW, LA))).toContain('Pause for some weeks or until a date');
  });
});
