import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Member } from '../../src/db/schema.ts';
import {
  DEFAULT_SLOTS,
  dueThisWeek,
  endOfLocalDay,
  formatSlot,
  isValidTimeZone,
  laterInWeek,
  localWeek,
  parseTime,
  parseWeekday,
  previousWeek,
  type Slot,
  slotInstant,
  type Weekday,
  weekIndex,
} from '../../src/growth/schedule.ts';

const NY = 'America/New_York';
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();
const slot = (weekday: Weekday, hhmm: string): Slot => ({ weekday, minute: parseTime(hhmm) as number });

describe('DEFAULT_SLOTS', () => {
  it('are Monday 10:00, Thursday 10:00 and Friday 15:00', () => {
    expect(formatSlot(DEFAULT_SLOTS.prompt)).toBe('Monday 10:00');
    expect(formatSlot(DEFAULT_SLOTS.reminder)).toBe('Thursday 10:00');
    expect(formatSlot(DEFAULT_SLOTS.digest)).toBe('Friday 15:00');
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects the rest', () => {
    for (const tz of [NY, 'Asia/Kolkata', 'Pacific/Kiritimati', 'UTC', 'Europe/London']) {
      expect(isValidTimeZone(tz)).toBe(true);
    }
    for (const tz of ['', 'Mars/Olympus_Mons', 'Not a zone', '+05:30']) expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('slotInstant across America/New_York DST transitions', () => {
  const monday10 = slot(1, '10:00');

  it('March: Monday 10:00 is 15:00Z before (EST) and 14:00Z after (EDT) 2026-03-08', () => {
    expect(iso(slotInstant('2026-W10', monday10, NY))).toBe('2026-03-02T15:00:00.000Z');
    expect(iso(slotInstant('2026-W11', monday10, NY))).toBe('2026-03-09T14:00:00.000Z');
  });

  it('November: Monday 10:00 is 14:00Z before (EDT) and 15:00Z after (EST) 2026-11-01', () => {
    expect(iso(slotInstant('2026-W44', monday10, NY))).toBe('2026-10-26T14:00:00.000Z');
    expect(iso(slotInstant('2026-W45', monday10, NY))).toBe('2026-11-02T15:00:00.000Z');
  });

  it('a slot in the spring-forward gap (Sunday 2026-03-08 02:30) moves forward by the gap to 03:30 EDT', () => {
    const instant = slotInstant('2026-W10', slot(7, '02:30'), NY);
    expect(iso(instant)).toBe('2026-03-08T07:30:00.000Z');
    expect(DateTime.fromJSDate(instant, { zone: NY }).toFormat('ccc yyyy-MM-dd HH:mm')).toBe('Sun 2026-03-08 03:30');
    // The edges of the gap: 01:59 is still EST, 03:00 is the first EDT minute.
    expect(iso(slotInstant('2026-W10', slot(7, '01:59'), NY))).toBe('2026-03-08T06:59:00.000Z');
    expect(iso(slotInstant('2026-W10', slot(7, '02:00'), NY))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(slotInstant('2026-W10', slot(7, '03:00'), NY))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('an ambiguous fall-back slot (Sunday 2026-11-01 01:30) takes the earlier instant (EDT)', () => {
    expect(iso(slotInstant('2026-W44', slot(7, '01:30'), NY))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(slotInstant('2026-W44', slot(7, '00:59'), NY))).toBe('2026-11-01T04:59:00.000Z');
    expect(iso(slotInstant('2026-W44', slot(7, '02:00'), NY))).toBe('2026-11-01T07:00:00.000Z');
  });

  it('the transition Sundays are 23 and 25 hours long', () => {
    const hours = (week: string) =>
      (endOfLocalDay(week, 7, NY).getTime() - endOfLocalDay(week, 6, NY).getTime()) / 3_600_000;
    expect(hours('2026-W10')).toBe(23);
    expect(hours('2026-W44')).toBe(25);
    expect(hours('2026-W20')).toBe(24);
  });
});

describe('zones with midnight or half-hour transitions', () => {
  it('America/Santiago: a 00:30 slot on the day that starts at 01:00 moves to 01:30', () => {
    expect(iso(slotInstant('2026-W36', slot(7, '00:30'), 'America/Santiago'))).toBe('2026-09-06T04:30:00.000Z');
    expect(iso(endOfLocalDay('2026-W36', 6, 'America/Santiago'))).toBe('2026-09-06T03:59:59.999Z');
  });

  it('America/Santiago: a Saturday whose 23:00 hour repeats ends at the LATER 23:59:59.999', () => {
    const end = endOfLocalDay('2026-W14', 6, 'America/Santiago');
    expect(iso(end)).toBe('2026-04-05T03:59:59.999Z');
    expect(localWeek(new Date(end.getTime() + 1), 'America/Santiago')).toBe('2026-W14'); // Sunday, same ISO week
    expect(DateTime.fromMillis(end.getTime() + 1, { zone: 'America/Santiago' }).toFormat('ccc HH:mm')).toBe(
      'Sun 00:00',
    );
  });

  it('Australia/Lord_Howe: a 30-minute gap moves 02:15 to 02:45', () => {
    expect(iso(slotInstant('2026-W40', slot(7, '02:15'), 'Australia/Lord_Howe'))).toBe('2026-10-03T15:45:00.000Z');
  });
});

describe('slotInstant in fixed-offset zones', () => {
  it('Asia/Kolkata (+05:30)', () => {
    expect(iso(slotInstant('2026-W10', slot(1, '10:00'), 'Asia/Kolkata'))).toBe('2026-03-02T04:30:00.000Z');
    expect(iso(slotInstant('2026-W10', slot(5, '15:00'), 'Asia/Kolkata'))).toBe('2026-03-06T09:30:00.000Z');
    expect(iso(slotInstant('2026-W10', slot(1, '00:00'), 'Asia/Kolkata'))).toBe('2026-03-01T18:30:00.000Z');
  });
});

describe('localWeek: the member\u2019s local date decides the week', () => {
  it('Pacific/Auckland: Monday 10:00 local is Sunday 21:00Z and belongs to the NEW week', () => {
    const instant = slotInstant('2026-W10', slot(1, '10:00'), 'Pacific/Auckland');
    expect(iso(instant)).toBe('2026-03-01T21:00:00.000Z'); // Sunday in UTC (NZDT, +13)
    expect(localWeek(instant, 'Pacific/Auckland')).toBe('2026-W10');
    expect(localWeek(instant, 'UTC')).toBe('2026-W09');
  });

  it('Asia/Tokyo: Monday 10:00 is 01:00Z Monday; Monday 08:30 local is Sunday 23:30Z and already the new week', () => {
    expect(iso(slotInstant('2026-W10', slot(1, '10:00'), 'Asia/Tokyo'))).toBe('2026-03-02T01:00:00.000Z');
    const sundayUtc = at('2026-03-01T23:30:00Z');
    expect(localWeek(sundayUtc, 'Asia/Tokyo')).toBe('2026-W10');
    expect(localWeek(sundayUtc, 'UTC')).toBe('2026-W09');
    expect(iso(slotInstant('2026-W10', slot(1, '08:30'), 'Asia/Tokyo'))).toBe('2026-03-01T23:30:00.000Z');
  });

  it('Pacific/Kiritimati (+14): the week turns at Sunday 10:00Z', () => {
    const tz = 'Pacific/Kiritimati';
    expect(localWeek(at('2026-03-01T09:59:59.999Z'), tz)).toBe('2026-W09');
    expect(localWeek(at('2026-03-01T10:00:00.000Z'), tz)).toBe('2026-W10');
    expect(iso(endOfLocalDay('2026-W09', 7, tz))).toBe('2026-03-01T09:59:59.999Z');
    expect(iso(slotInstant('2026-W10', slot(1, '10:00'), tz))).toBe('2026-03-01T20:00:00.000Z');
  });

  it('Pacific/Pago_Pago (-11): the week turns at Monday 11:00Z', () => {
    const tz = 'Pacific/Pago_Pago';
    expect(localWeek(at('2026-03-02T10:59:59.999Z'), tz)).toBe('2026-W09');
    expect(localWeek(at('2026-03-02T11:00:00.000Z'), tz)).toBe('2026-W10');
    expect(iso(endOfLocalDay('2026-W09', 7, tz))).toBe('2026-03-02T10:59:59.999Z');
    expect(iso(slotInstant('2026-W10', slot(1, '10:00'), tz))).toBe('2026-03-02T21:00:00.000Z');
  });

  it('the same instant is in different weeks at the two ends of the day', () => {
    const instant = at('2026-03-02T05:00:00Z');
    expect(localWeek(instant, 'Pacific/Kiritimati')).toBe('2026-W10'); // Monday 19:00
    expect(localWeek(instant, 'Pacific/Pago_Pago')).toBe('2026-W09'); // Sunday 18:00
  });
});

describe('ISO week arithmetic', () => {
  it('2026 has 53 ISO weeks and 2026-W53 is followed by 2027-W01', () => {
    expect(iso(slotInstant('2026-W53', slot(1, '00:00'), 'UTC'))).toBe('2026-12-28T00:00:00.000Z');
    expect(localWeek(at('2027-01-03T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(localWeek(at('2027-01-04T00:00:00Z'), 'UTC')).toBe('2027-W01');
    expect(previousWeek('2027-W01')).toBe('2026-W53');
    expect(previousWeek('2026-W53', -1)).toBe('2027-W01');
    expect(weekIndex('2027-W01') - weekIndex('2026-W53')).toBe(1);
    expect(weekIndex('2026-W53') - weekIndex('2026-W52')).toBe(1);
    // Auckland enters 2027-W01 while UTC is still in 2026-W53.
    expect(localWeek(at('2027-01-03T11:00:00Z'), 'Pacific/Auckland')).toBe('2027-W01');
  });

  it('2025 has 52 weeks: 2025-W53 is rejected, as are malformed keys', () => {
    expect(previousWeek('2026-W01')).toBe('2025-W52');
    for (const bad of ['2025-W53', '2026-W54', '2026-W00', '2026-W9', '2026W09', 'garbage', '']) {
      expect(() => weekIndex(bad), bad).toThrow(RangeError);
      expect(() => slotInstant(bad, DEFAULT_SLOTS.prompt, NY), bad).toThrow(RangeError);
    }
  });

  it('weekIndex counts weeks since 1970-W01 and previousWeek agrees with it', () => {
    expect(weekIndex('1970-W01')).toBe(0);
    expect(weekIndex('1970-W02')).toBe(1);
    expect(previousWeek('2026-W10', 10)).toBe('2025-W52');
    expect(previousWeek('2026-W10', 0)).toBe('2026-W10');
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 * 53 }), fc.integer({ min: -300, max: 300 }), (start, n) => {
        const week = previousWeek('1970-W01', -start);
        expect(weekIndex(week)).toBe(start);
        expect(weekIndex(previousWeek(week, n))).toBe(start - n);
      }),
    );
  });

  it('rejects unknown zones and bad slots', () => {
    expect(() => localWeek(at('2026-03-02T00:00:00Z'), 'Mars/Base')).toThrow(RangeError);
    expect(() => slotInstant('2026-W10', DEFAULT_SLOTS.prompt, 'Mars/Base')).toThrow(RangeError);
    expect(() => slotInstant('2026-W10', { weekday: 1, minute: 1440 }, NY)).toThrow(RangeError);
    expect(() => slotInstant('2026-W10', { weekday: 8 as Weekday, minute: 0 }, NY)).toThrow(RangeError);
    expect(() => localWeek(new Date(Number.NaN), NY)).toThrow(RangeError);
  });
});

describe('dueThisWeek', () => {
  const prompt = slot(1, '10:00');
  const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

  it('is not-yet before the slot, due from the slot to the end of the cut-off day, too-late after', () => {
    const slotAt = at('2026-03-09T14:00:00Z'); // Monday 10:00 EDT
    const cutoffAt = at('2026-03-12T03:59:59.999Z'); // Wednesday 23:59:59.999 EDT
    expect(dueThisWeek(ms(slotAt, -1), NY, prompt, 3)).toEqual({ state: 'not-yet' });
    expect(dueThisWeek(slotAt, NY, prompt, 3)).toEqual({ state: 'due', week: '2026-W11', slotAt });
    expect(dueThisWeek(ms(slotAt, 1), NY, prompt, 3)).toEqual({ state: 'due', week: '2026-W11', slotAt });
    expect(dueThisWeek(cutoffAt, NY, prompt, 3)).toEqual({ state: 'due', week: '2026-W11', slotAt });
    expect(dueThisWeek(ms(cutoffAt, 1), NY, prompt, 3)).toEqual({
      state: 'too-late',
      week: '2026-W11',
      slotAt,
      cutoffAt,
    });
    // Late Sunday is still this week and too late; Monday 09:00 local is the next week, not yet.
    expect(dueThisWeek(at('2026-03-16T03:30:00Z'), NY, prompt, 3).state).toBe('too-late');
    expect(dueThisWeek(at('2026-03-16T13:00:00Z'), NY, prompt, 3)).toEqual({ state: 'not-yet' });
  });

  it('uses the member\u2019s local week (Auckland Monday morning is Sunday in UTC)', () => {
    const tz = 'Pacific/Auckland';
    expect(dueThisWeek(at('2026-03-01T20:59:59.999Z'), tz, prompt, 1)).toEqual({ state: 'not-yet' });
    expect(dueThisWeek(at('2026-03-01T21:00:00Z'), tz, prompt, 1)).toEqual({
      state: 'due',
      week: '2026-W10',
      slotAt: at('2026-03-01T21:00:00Z'),
    });
    expect(dueThisWeek(at('2026-03-02T11:00:00Z'), tz, prompt, 1)).toMatchObject({
      state: 'too-late',
      cutoffAt: at('2026-03-02T10:59:59.999Z'),
    });
  });

  it('a cut-off weekday before the slot day means the slot day itself', () => {
    const reminder = slot(4, '10:00');
    const thursdayLate = at('2026-03-13T03:59:59.999Z'); // Thursday 23:59:59.999 EDT
    expect(dueThisWeek(thursdayLate, NY, reminder, 1)).toMatchObject({ state: 'due', week: '2026-W11' });
    expect(dueThisWeek(ms(thursdayLate, 1), NY, reminder, 1)).toMatchObject({
      state: 'too-late',
      cutoffAt: thursdayLate,
    });
  });

  it('works on the spring-forward weekend (Sunday cut-off of a 23-hour day)', () => {
    const sunday = slot(7, '02:30');
    const slotAt = at('2026-03-08T07:30:00Z');
    expect(dueThisWeek(at('2026-03-08T07:29:59.999Z'), NY, sunday, 7)).toEqual({ state: 'not-yet' });
    expect(dueThisWeek(slotAt, NY, sunday, 7)).toEqual({ state: 'due', week: '2026-W10', slotAt });
    expect(dueThisWeek(at('2026-03-09T03:59:59.999Z'), NY, sunday, 7).state).toBe('due');
    expect(dueThisWeek(at('2026-03-09T04:00:00Z'), NY, sunday, 7)).toEqual({ state: 'not-yet' }); // next week
  });
});

describe('parseWeekday', () => {
  it('accepts names and common abbreviations in any case', () => {
    const good: Array<[string, Weekday]> = [
      ['mon', 1],
      ['Monday', 1],
      ['MON', 1],
      [' monday ', 1],
      ['Mondays', 1],
      ['mon.', 1],
      ['tue', 2],
      ['tues', 2],
      ['Tuesday', 2],
      ['wed', 3],
      ['weds', 3],
      ['WEDNESDAY', 3],
      ['thu', 4],
      ['thur', 4],
      ['thurs', 4],
      ['thursday', 4],
      ['Thursdays', 4],
      ['fri', 5],
      ['Friday', 5],
      ['sat', 6],
      ['saturday', 6],
      ['sun', 7],
      ['Sunday', 7],
    ];
    for (const [text, weekday] of good) expect(parseWeekday(text), text).toBe(weekday);
  });

  it('rejects anything else', () => {
    for (const text of ['funday', '', ' ', 'm', 'mo', 'monday2', 'mondayy', '1', '7', 'suns', 'thursd', 'lundi']) {
      expect(parseWeekday(text), text).toBeNull();
    }
  });
});

describe('parseTime', () => {
  it('accepts H:MM and HH:MM on a 24-hour clock', () => {
    const good: Array<[string, number]> = [
      ['10:00', 600],
      ['9:30', 570],
      ['09:30', 570],
      ['17:05', 1025],
      ['0:00', 0],
      ['00:00', 0],
      ['23:59', 1439],
      [' 10:00 ', 600],
    ];
    for (const [text, minute] of good) expect(parseTime(text), text).toBe(minute);
  });

  it('rejects anything else', () => {
    for (const text of [
      '25:00',
      '24:00',
      '10:60',
      '10',
      'noon',
      '10:0',
      '10:000',
      '100:00',
      '-1:00',
      '10:00am',
      '10.00',
      '1000',
      '',
      ':30',
      '10:',
    ]) {
      expect(parseTime(text), text).toBeNull();
    }
  });
});

describe('formatSlot', () => {
  it('formats weekday and zero-padded 24-hour time', () => {
    expect(formatSlot({ weekday: 1, minute: 600 })).toBe('Monday 10:00');
    expect(formatSlot({ weekday: 5, minute: 545 })).toBe('Friday 09:05');
    expect(formatSlot({ weekday: 7, minute: 0 })).toBe('Sunday 00:00');
    expect(formatSlot({ weekday: 3, minute: 1439 })).toBe('Wednesday 23:59');
  });

  it('round-trips through the parsers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1439 }), (weekday, minute) => {
        const [day, time] = formatSlot({ weekday: weekday as Weekday, minute }).split(' ') as [string, string];
        expect(parseWeekday(day)).toBe(weekday);
        expect(parseTime(time)).toBe(minute);
      }),
    );
  });
});

describe('properties across zones', () => {
  const ZONES = [
    'UTC',
    'America/New_York',
    'America/Los_Angeles',
    'America/St_Johns',
    'America/Santiago',
    'Europe/London',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Tokyo',
    'Australia/Lord_Howe',
    'Pacific/Auckland',
    'Pacific/Chatham',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
  ];
  const zone = fc.constantFrom(...ZONES);
  const instant = fc.date({
    min: new Date('2025-01-01T00:00:00Z'),
    max: new Date('2028-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  const anySlot = fc.record({
    weekday: fc.integer({ min: 1, max: 7 }).map((d) => d as Weekday),
    // Bias towards the small hours, where the transitions are.
    minute: fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 240 })),
  });
  // Instants exactly at local wall-clock transitions, plus random ones.
  const interesting = fc.oneof(
    instant,
    fc
      .tuple(
        fc.integer({ min: 2025, max: 2028 }),
        fc.constantFrom(3, 4, 9, 10, 11),
        fc.integer({ min: 0, max: 30 * 24 * 4 }),
      )
      .map(([y, m, q]) => new Date(Date.UTC(y, m - 1, 1) + q * 15 * 60_000)),
  );

  /** Every UTC offset change of `tz` in 2025–2028, found by a daily scan and bisection. */
  function transitions(tz: string): number[] {
    const offset = (ms: number) => DateTime.fromMillis(ms, { zone: tz }).offset;
    const found: number[] = [];
    const day = 86_400_000;
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2029, 0, 1); t += day) {
      if (offset(t) === offset(t + day)) continue;
      let lo = t;
      let hi = t + day;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offset(mid) === offset(lo)) lo = mid;
        else hi = mid;
      }
      found.push(hi);
    }
    return found;
  }
  const TRANSITIONS = ZONES.flatMap((tz) => transitions(tz).map((t) => ({ tz, t })));
  /** A zone, an instant just before one of its transitions and a slot within ±2 h of its local wall time. */
  const nearTransition = fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -120, max: 120 }))
    .map(([{ tz, t }, delta]) => {
      const before = DateTime.fromMillis(t - 1, { zone: tz });
      const minute = Math.min(1439, Math.max(0, before.hour * 60 + before.minute + 1 + delta));
      return { tz, now: new Date(t - 1), s: { weekday: before.weekday as Weekday, minute } };
    });
  const anyCase = fc.oneof(fc.record({ tz: zone, now: interesting, s: anySlot }), nearTransition);

  it('finds the transitions of the zones under test', () => {
    // 4 years × 2 changes for each of the 9 zones with DST in 2025–2028.
    expect(TRANSITIONS.length).toBe(72);
  });

  it('slotInstant(localWeek(now)) is in that local week, on that weekday, at that time (or just after a gap), and the earliest such instant', () => {
    fc.assert(
      fc.property(anyCase, ({ tz, now, s }) => {
        const week = localWeek(now, tz);
        const when = slotInstant(week, s, tz);
        const local = DateTime.fromJSDate(when, { zone: tz });
        expect(localWeek(when, tz)).toBe(week);
        expect(local.weekday).toBe(s.weekday);
        const localMinute = local.hour * 60 + local.minute;
        expect(local.second).toBe(0);
        if (localMinute !== s.minute) {
          // Only in a spring-forward gap: the wall time moved forward by the offset change.
          const offsetBefore = DateTime.fromMillis(when.getTime() - 3 * 3_600_000, { zone: tz }).offset;
          expect(local.offset).toBeGreaterThan(offsetBefore);
          expect(localMinute - s.minute).toBe(local.offset - offsetBefore);
        }
        // Earliest: no earlier instant (up to 2 h before) shows the same local weekday and time.
        for (let back = 15; back <= 120; back += 15) {
          const earlier = DateTime.fromMillis(when.getTime() - back * 60_000, { zone: tz });
          expect(
            earlier.weekday === local.weekday && earlier.hour === local.hour && earlier.minute === local.minute,
          ).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('endOfLocalDay is the last millisecond of that local day', () => {
    fc.assert(
      fc.property(anyCase, fc.integer({ min: 1, max: 7 }), ({ tz, now }, d) => {
        const weekday = d as Weekday;
        const week = localWeek(now, tz);
        const end = endOfLocalDay(week, weekday, tz);
        const last = DateTime.fromJSDate(end, { zone: tz });
        const next = DateTime.fromMillis(end.getTime() + 1, { zone: tz });
        expect(localWeek(end, tz)).toBe(week);
        expect(last.weekday).toBe(weekday);
        expect(next.weekday).toBe(weekday === 7 ? 1 : weekday + 1);
        expect(localWeek(next.toJSDate(), tz)).toBe(weekday === 7 ? previousWeek(week, -1) : week);
      }),
      { numRuns: 1000 },
    );
  });

  it('dueThisWeek agrees with slotInstant and endOfLocalDay', () => {
    fc.assert(
      fc.property(anyCase, fc.integer({ min: 1, max: 7 }), ({ tz, now, s }, c) => {
        const cutoff = c as Weekday;
        const week = localWeek(now, tz);
        const slotAt = slotInstant(week, s, tz);
        const cutoffAt = endOfLocalDay(week, Math.max(cutoff, s.weekday) as Weekday, tz);
        const due = dueThisWeek(now, tz, s, cutoff);
        if (now < slotAt) expect(due).toEqual({ state: 'not-yet' });
        else if (now <= cutoffAt) expect(due).toEqual({ state: 'due', week, slotAt });
        else expect(due).toEqual({ state: 'too-late', week, slotAt, cutoffAt });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('laterInWeek', () => {
  it('counts days forward within the week and stops at Sunday', () => {
    expect(laterInWeek(1, 2)).toBe(3);
    expect(laterInWeek(5, 2)).toBe(7);
    expect(laterInWeek(6, 2)).toBeNull();
    expect(laterInWeek(7, 0)).toBe(7);
  });

  it('a stored prompt weekday reads back as a Weekday, with no cast at the call sites', () => {
    expectTypeOf<Member['promptWeekday']>().toEqualTypeOf<Weekday>();
  });
});
