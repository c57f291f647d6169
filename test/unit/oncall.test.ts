import { describe, expect, it } from 'vitest';
import {
  checkRetroNumbers,
  onCallAt,
  oncallWeek,
  pickOncallPrompt,
  retroDue,
  retroTrend,
  stretches,
  stretchOf,
} from '../../src/growth/oncall.ts';

const d = (iso: string) => new Date(iso);
// ISO week 2026-W50 in UTC: Monday 7 December to Monday 14 December; slot Monday 10:00.
const week = { start: d('2026-12-07T00:00:00Z'), end: d('2026-12-14T00:00:00Z') };
const slot = d('2026-12-07T10:00:00Z');

describe('oncallWeek', () => {
  it('is due at the start of a shift that starts this week', () => {
    const s = { startsAt: d('2026-12-09T09:00:00Z'), endsAt: d('2026-12-16T09:00:00Z') };
    expect(oncallWeek([s], week, slot)).toEqual({ shift: s, at: s.startsAt });
  });

  it('is due at the slot for a shift carried over, and not at all when it ended before the slot', () => {
    const carried = { startsAt: d('2026-12-03T09:00:00Z'), endsAt: d('2026-12-10T09:00:00Z') };
    expect(oncallWeek([carried], week, slot)?.at).toEqual(slot);
    const ended = { startsAt: d('2026-12-03T09:00:00Z'), endsAt: d('2026-12-07T09:00:00Z') };
    expect(oncallWeek([ended], week, slot)).toBeNull();
    expect(
      oncallWeek([{ startsAt: d('2026-12-14T09:00:00Z'), endsAt: d('2026-12-21T09:00:00Z') }], week, slot),
    ).toBeNull();
  });

  it('tells whether an instant is inside a shift', () => {
    const s = { startsAt: d('2026-12-09T09:00:00Z'), endsAt: d('2026-12-10T09:00:00Z') };
    expect(onCallAt([s], d('2026-12-09T09:00:00Z'))).toBe(true);
    expect(onCallAt([s], d('2026-12-10T09:00:00Z'))).toBe(false);
  });
});

describe('pickOncallPrompt', () => {
  it('takes one never used, else the one used longest ago', () => {
    const prompts = [{ id: 'a' }, { id: 'b' }];
    expect(pickOncallPrompt(prompts, [{ week: '2026-W40', promptId: 'a' }])?.id).toBe('b');
    expect(
      pickOncallPrompt(prompts, [
        { week: '2026-W40', promptId: 'b' },
        { week: '2026-W30', promptId: 'a' },
      ])?.id,
    ).toBe('a');
  });
});

describe('retroDue', () => {
  it('comes at once in working hours, else at the next 10:00 local', () => {
    expect(retroDue(d('2026-12-14T09:00:00Z'), 'Europe/Berlin')).toEqual(d('2026-12-14T09:00:00Z')); // 10:00 Berlin
    expect(retroDue(d('2026-12-14T02:00:00Z'), 'Europe/Berlin')).toEqual(d('2026-12-14T09:00:00Z')); // 03:00 → 10:00
    expect(retroDue(d('2026-12-14T19:00:00Z'), 'Europe/Berlin')).toEqual(d('2026-12-15T09:00:00Z')); // 20:00 → next 10:00
  });
});

describe('checkRetroNumbers', () => {
  it('takes whole numbers from 0, and no more actionable pages than pages', () => {
    expect(checkRetroNumbers({ pages: '7', actionable: '3', toilHours: '0' })).toEqual({
      ok: true,
      numbers: { pages: 7, actionable: 3, toilHours: 0 },
    });
    const bad = checkRetroNumbers({ pages: '2', actionable: '5', toilHours: '-1' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual({
      actionable: 'At most the number of pages (2).',
      toilHours: 'A whole number, 0 or more.',
    });
    expect(checkRetroNumbers({ pages: '1.5', actionable: '', toilHours: '2' })).toMatchObject({
      ok: false,
      errors: { pages: expect.any(String), actionable: expect.any(String) },
    });
  });
});

describe('retroTrend', () => {
  it('averages pages per shift and the share actionable over the last four', () => {
    const p = (day: number, pages: number, actionable: number) => ({
      endsAt: d(`2026-11-${String(day).padStart(2, '0')}T09:00:00Z`),
      pages,
      actionable,
      toilHours: 1,
    });
    const t = retroTrend([p(1, 100, 0), p(8, 10, 2), p(15, 6, 3), p(22, 4, 4), p(29, 0, 0)])!;
    expect(t.shifts.map((s) => s.pages)).toEqual([10, 6, 4, 0]);
    expect(t.pagesPerShift).toBe(5);
    expect(t.shareActionable).toBe(0.45);
    expect(retroTrend([])).toBeNull();
  });
});

describe('stretches: overlapping or back-to-back shifts are one on-call stretch', () => {
  const at = (d: string) => new Date(`2026-12-${d}:00Z`);
  const shift = (id: string, from: string, to: string) => ({ id, startsAt: at(from), endsAt: at(to) });
  it('merges daily segments, a secondary overlapping a primary, and the same shift from two feeds', () => {
    const st = stretches([
      shift('3', '11T08:00', '12T08:00'),
      shift('1', '09T08:00', '10T08:00'),
      shift('2', '10T08:00', '11T08:00'),
      shift('4', '11T12:00', '12T17:00'),
      shift('5', '11T12:00', '12T17:00'),
      shift('9', '20T08:00', '21T08:00'),
    ]);
    expect(st.map((s) => [s.startsAt, s.endsAt, s.shifts.map((x) => x.id)])).toEqual([
      [at('09T08:00'), at('12T17:00'), ['1', '2', '3', '4', '5']],
      [at('20T08:00'), at('21T08:00'), ['9']],
    ]);
    expect(
      stretchOf(
        st.flatMap((s) => s.shifts),
        '4',
      )?.shifts[0]?.id,
    ).toBe('1');
  });
  it('keeps a gap of a minute as two stretches', () => {
    expect(stretches([shift('1', '09T08:00', '10T08:00'), shift('2', '10T08:01', '11T08:00')])).toHaveLength(2);
  });
});
