import { describe, expect, it } from 'vitest';
import { packSections, REPLY_MAX_CHARS } from '../../src/outbound/views/long-list.ts';

const line = (ch: string, n: number) => ch.repeat(n);

describe('packSections: long text in Slack sections', () => {
  it('keeps short text whole, in one section, line breaks and all', () => {
    expect(packSections(['*Head*', '', '• one', '• two'])).toEqual(['*Head*\n\n• one\n• two']);
  });

  it('fills a section up to exactly the limit and starts the next with the line that would not fit', () => {
    const a = line('a', 1000);
    const b = line('b', 1999); // a + newline + b = 3000: fits exactly
    const c = line('c', 10);
    expect(packSections([a, b, c])).toEqual([`${a}\n${b}`, c]);
    const b2 = line('b', 2000); // one more character: b2 goes to a section of its own
    expect(packSections([a, b2])).toEqual([a, b2]);
  });

  it('never cuts a line across sections, and clips one longer than a section with an ellipsis', () => {
    const long = line('x', REPLY_MAX_CHARS + 50);
    const [first, second] = packSections(['short', long, 'after']);
    expect(first).toBe('short');
    expect([...second!]).toHaveLength(REPLY_MAX_CHARS);
    expect(second!.endsWith('x…')).toBe(true);
    expect(packSections(['short', long, 'after']).at(-1)).toBe('after');
  });

  it('with a most, fills that many sections at the most and counts the lines left out', () => {
    const lines = Array.from({ length: 10 }, (_, i) => line(String(i), 2000));
    const out = packSections(lines, 4, (n) => `…and ${n} more on the agenda.`);
    expect(out).toEqual([lines[0], lines[1], lines[2], '…and 7 more on the agenda.']);
    expect(packSections(lines, 4)).toContain('…and 7 more.');
  });

  it('drops sections with nothing to show (Slack refuses an empty text)', () => {
    expect(packSections(['', '  ', ''])).toEqual([]);
    expect(packSections([line('a', 3000), '', 'b'])).toEqual([line('a', 3000), 'b']);
  });
});
