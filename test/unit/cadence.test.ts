import { describe, expect, it } from 'vitest';
import {
  type PastWeek,
  promptCadence,
  reminderCadence,
  shouldAutoPause,
  UNANSWERED_BEFORE_PAUSE,
} from '../../src/growth/cadence.ts';
import { DEFAULT_SLOTS, type Weekday } from '../../src/growth/schedule.ts';

const TEN = 10 * 60;
const slot = (weekday: Weekday, minute = TEN) => ({ weekday, minute });

describe('promptCadence', () => {
  it('a Monday prompt may go out late until Wednesday', () => {
    expect(promptCadence(slot(1))).toEqual({ slot: slot(1), cutoff: 3 });
  });

  it.each([
    [2, 4],
    [3, 5],
    [4, 6],
    [5, 7],
  ] as const)('weekday %i → cut-off weekday %i', (weekday, cutoff) => {
    expect(promptCadence(slot(weekday)).cutoff).toBe(cutoff);
  });

  it('never runs past Sunday: Saturday and Sunday prompts are cut off on Sunday', () => {
    expect(promptCadence(slot(6)).cutoff).toBe(7);
    expect(promptCadence(slot(7)).cutoff).toBe(7);
  });

  it('keeps the slot itself unchanged', () => {
    expect(promptCadence(slot(2, 17 * 60 + 45)).slot).toEqual(slot(2, 17 * 60 + 45));
  });
});

describe('reminderCadence', () => {
  it('the default Monday 10:00 prompt is reminded Thursday 10:00, sendable until Friday', () => {
    expect(reminderCadence(DEFAULT_SLOTS.prompt)).toEqual({ slot: DEFAULT_SLOTS.reminder, cutoff: 5 });
    expect(reminderCadence(slot(1))).toEqual({ slot: slot(4), cutoff: 5 });
  });

  it('keeps the prompt’s local time of day', () => {
    expect(reminderCadence(slot(2, 8 * 60 + 30))).toEqual({ slot: slot(5, 8 * 60 + 30), cutoff: 6 });
    expect(reminderCadence(slot(1, 0))?.slot).toEqual(slot(4, 0));
    expect(reminderCadence(slot(1, 1439))?.slot).toEqual(slot(4, 1439));
  });

  it('a Wednesday prompt is reminded Saturday, until Sunday', () => {
    expect(reminderCadence(slot(3))).toEqual({ slot: slot(6), cutoff: 7 });
  });

  it('a Thursday prompt is reminded Sunday, and the cut-off stays within the week', () => {
    expect(reminderCadence(slot(4))).toEqual({ slot: slot(7), cutoff: 7 });
  });

  it.each([5, 6, 7] as const)('a prompt on weekday %i gets no reminder', (weekday) => {
    expect(reminderCadence(slot(weekday))).toBeNull();
  });
});

describe('shouldAutoPause', () => {
  // Most recent first, as the weekly job passes them.
  const previous = ['2027-W05', '2027-W04', '2027-W03', '2027-W02', '2027-W01'];
  const silent = (week: string): PastWeek => ({ week, delivered: true, responded: false });
  const answered = (week: string): PastWeek => ({ week, delivered: true, responded: true });
  const undelivered = (week: string): PastWeek => ({ week, delivered: false, responded: false });
  const history = (...weeks: PastWeek[]) => new Map(weeks.map((w) => [w.week, w]));

  it('pauses after three delivered prompts in a row went unanswered', () => {
    expect(UNANSWERED_BEFORE_PAUSE).toBe(3);
    expect(
      shouldAutoPause(previous.slice(0, 3), history(silent('2027-W05'), silent('2027-W04'), silent('2027-W03'))),
    ).toBe(true);
  });

  it.each([0, 1, 2])('an answer or skip in week #%i of the three keeps prompts coming', (i) => {
    const weeks = previous.slice(0, 3).map((w, j) => (j === i ? answered(w) : silent(w)));
    expect(shouldAutoPause(previous.slice(0, 3), history(...weeks))).toBe(false);
  });

  it.each([0, 1, 2])('a week (#%i) the bot did not deliver breaks the run', (i) => {
    const weeks = previous.slice(0, 3).map((w, j) => (j === i ? undelivered(w) : silent(w)));
    expect(shouldAutoPause(previous.slice(0, 3), history(...weeks))).toBe(false);
  });

  it('a week with no prompt at all (paused, or before joining) breaks the run', () => {
    expect(shouldAutoPause(previous.slice(0, 3), history(silent('2027-W05'), silent('2027-W03')))).toBe(false);
  });

  it('a new member with fewer than three weeks of history is not paused', () => {
    expect(shouldAutoPause(previous.slice(0, 3), history(silent('2027-W05'), silent('2027-W04')))).toBe(false);
    expect(shouldAutoPause(previous.slice(0, 3), new Map())).toBe(false);
    expect(shouldAutoPause(previous.slice(0, 2), history(silent('2027-W05'), silent('2027-W04')))).toBe(false);
    expect(shouldAutoPause([], new Map())).toBe(false);
  });

  it('only the three most recent previous weeks count', () => {
    const lastThreeSilent = history(
      silent('2027-W05'),
      silent('2027-W04'),
      silent('2027-W03'),
      answered('2027-W02'),
      answered('2027-W01'),
    );
    expect(shouldAutoPause(previous, lastThreeSilent)).toBe(true);

    const olderSilence = history(
      answered('2027-W05'),
      silent('2027-W04'),
      silent('2027-W03'),
      silent('2027-W02'),
      silent('2027-W01'),
    );
    expect(shouldAutoPause(previous, olderSilence)).toBe(false);
  });

  it('ignores history for weeks it was not asked about (e.g. the current week)', () => {
    const h = history(silent('2027-W06'), silent('2027-W05'), silent('2027-W04'), answered('2027-W03'));
    expect(shouldAutoPause(previous.slice(0, 3), h)).toBe(false);
  });
});
