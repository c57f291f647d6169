import { describe, expect, it } from 'vitest';
import { promptAnsweredByCheckin } from '../../src/growth/checkin.ts';

describe('promptAnsweredByCheckin', () => {
  const prompt = { id: '1', week: '2026-W50', outcome: 'open' as const };

  it('answers the prompt of the member\u2019s local week, open or skipped', () => {
    expect(promptAnsweredByCheckin(prompt, new Date('2026-12-09T12:00:00Z'), 'Europe/Berlin')).toBe(prompt);
    expect(promptAnsweredByCheckin({ ...prompt, outcome: 'skipped' }, new Date('2026-12-09T12:00:00Z'), 'UTC')).toBeDefined();
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
