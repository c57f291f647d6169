import { describe, expect, it } from 'vitest';
import { EDIT_WINDOW_DAYS, editableSince, isEditable, promptAnsweredByCheckin } from '../../src/growth/checkin.ts';

describe('promptAnsweredByCheckin', () => {
  const prompt = { id: '1', week: '2026-W50', outcome: 'open' as const };

  it('answers the prompt of the member\u2019s local week, open or skipped', () => {
    expect(promptAnsweredByCheckin(prompt, new Date('2026-12-09T12:00:00Z'), 'Europe/Berlin')).toBe(prompt);
    expect(
      promptAnsweredByCheckin({ ...prompt, outcome: 'skipped' }, new Date('2026-12-09T12:00:00Z'), 'UTC'),
    ).toBeDefined();
  });

  it('takes the week in the member\u2019s zone, not UTC', () => {
    // Sunday 23:30 UTC is already Monday of the next week in Berlin.
    const at = new Date('2026-12-13T23:30:00Z');
    expect(promptAnsweredByCheckin(prompt, at, 'UTC')).toBe(prompt);
    expect(promptAnsweredByCheckin(prompt, at, 'Europe/Berlin')).toBeUndefined();
  });

  it('leaves an answered prompt, another week\u2019s prompt, and no prompt alone', () => {
    const at = new Date('2026-12-09T12:00:00Z');
    expect(promptAnsweredByCheckin({ ...prompt, outcome: 'answered' }, at, 'UTC')).toBeUndefined();
    expect(promptAnsweredByCheckin({ ...prompt, week: '2026-W49' }, at, 'UTC')).toBeUndefined();
    expect(promptAnsweredByCheckin(undefined, at, 'UTC')).toBeUndefined();
  });
});

describe('the edit window', () => {
  const now = new Date('2026-12-22T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600 * 1000);
  it(`lets the author edit for ${EDIT_WINDOW_DAYS} days after saving, and not after`, () => {
    expect(EDIT_WINDOW_DAYS).toBe(14);
    expect(isEditable(hoursAgo(13 * 24 + 23), now)).toBe(true);
    expect(isEditable(hoursAgo(14 * 24), now)).toBe(true);
    expect(isEditable(hoursAgo(14 * 24 + 1), now)).toBe(false);
    expect(editableSince(now)).toEqual(hoursAgo(14 * 24));
  });
});
