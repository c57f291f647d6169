// iCalendar is untrusted input: it is read in a worker thread within a time and memory budget,
// so a feed whose rules never end fails alone and the bot goes on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedFormatError } from '../../src/oncall/ical.ts';
import { PARSE_BUDGET, parseFeedBudgeted, TOO_COMPLEX } from '../../src/oncall/parse-budget.ts';
import { ICAL_ATTACKS, MALFORMED_RULES, withRule } from '../support/odd-inputs.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const window = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-15T00:00:00Z') };

/** The longest the event loop went without running a 20 ms timer while `work` ran. */
async function worstStall<T>(work: () => Promise<T>): Promise<{ result: T | Error; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const t = setInterval(() => {
    worst = Math.max(worst, performance.now() - last);
    last = performance.now();
  }, 20);
  try {
    const result = await work().catch((e: Error) => e);
    return { result, stallMs: worst };
  } finally {
    clearInterval(t);
  }
}

describe('reading a feed within a budget', () => {
  it('reads an ordinary feed in every zone asked for', async () => {
    const [utc, berlin] = await parseFeedBudgeted(weekly, window, ['UTC', 'Europe/Berlin']);
    expect(utc!.map((e) => e.startsAt.toISOString())).toContain('2026-12-14T08:00:00.000Z');
    expect(berlin).toHaveLength(utc!.length);
  }, 60_000);

  it.each(Object.entries(ICAL_ATTACKS))(
    '%s: stopped at the time budget as "too complex to read", while the event loop stays free',
    async (_name, text) => {
      const started = performance.now();
      const { result, stallMs } = await worstStall(() => parseFeedBudgeted(text, window, ['UTC']));
      expect(result).toBeInstanceOf(FeedFormatError);
      expect((result as Error).message).toBe(TOO_COMPLEX);
      expect(performance.now() - started).toBeGreaterThanOrEqual(PARSE_BUDGET.ms);
      expect(stallMs).toBeLessThan(1_000);
    },
    60_000,
  );

  it.each(MALFORMED_RULES)(
    'a malformed recurrence line (%s) is a feed error that does not quote it',
    async (line) => {
      const text = withRule(line);
      const result = await parseFeedBudgeted(text, window, ['UTC']).catch((e: Error) => e);
      // A line ical.js reads some other way (INTERVAL=0, COUNT=-1) gives what it gives; none may crash.
      if (Array.isArray(result)) expect(Array.isArray(result[0])).toBe(true);
      else {
        expect(result).toBeInstanceOf(FeedFormatError);
        expect(result.message).not.toContain(line.split(':')[1]!);
        expect(result.stack ?? '').not.toContain(line.split(':')[1]!);
      }
    },
    60_000,
  );
});
