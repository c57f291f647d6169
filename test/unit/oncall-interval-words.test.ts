import { describe, expect, it } from 'vitest';
import { everyInterval, feedBroken, feedNotRead, feedRead } from '../../src/outbound/views/oncall.ts';

// What /growth oncall and a broken feed's DM promise about reading the feed again: the configured
// ONCALL_FEED_INTERVAL_MINUTES (5 to 1440; the sandbox 28 days), and nothing when retrying cannot help.
describe('how often a feed is read again, in words', () => {
  it('says the interval in its largest whole unit', () => {
    expect(everyInterval(5)).toBe('every 5 minutes');
    expect(everyInterval(30)).toBe('every 30 minutes');
    expect(everyInterval(90)).toBe('every 90 minutes');
    expect(everyInterval(60)).toBe('every hour');
    expect(everyInterval(120)).toBe('every 2 hours');
    expect(everyInterval(1440)).toBe('every day');
    expect(everyInterval(2 * 1440)).toBe('every 2 days');
    expect(everyInterval(7 * 1440)).toBe('every week');
    expect(everyInterval(28 * 1440)).toBe('every 4 weeks');
  });

  it('the answer to a feed read says the configured interval, not a fixed half hour', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(feedRead('https://x.example/…', 3, undefined, 'UTC', now, 30)).toMatch(
      /: 3 shifts from two weeks ago to two months ahead\. None of them is still to come\. I read it again every 30 minutes\.$/,
    );
    expect(feedRead('https://x.example/…', 1, undefined, 'UTC', now, 1440)).toMatch(/I read it again every day\.$/);
    expect(feedRead('https://x.example/…', 1, undefined, 'UTC', now, 28 * 1440)).toMatch(/every 4 weeks\.$/);
    expect(feedRead('https://x.example/…', 1, undefined, 'UTC', now, 1440)).not.toContain('half hour');
  });

  it('a feed that could not be read: tried again at the interval, or told that only a corrected link helps', () => {
    expect(feedNotRead('https://x.example/…', 'the feed did not arrive within 20 s', false, 60)).toBe(
      'I saved your on-call feed (https://x.example/…) but could not read it: the feed did not arrive within 20 s. I will try it again every hour; paste a corrected link with `/growth oncall <link>`, or `/growth oncall off`.',
    );
    const lasting = feedNotRead('https://x.example/…', 'the sandbox does not fetch outside links', true, 60);
    expect(lasting).toContain(
      'could not read it: the sandbox does not fetch outside links. Reading that link again will not help; paste a corrected link',
    );
    expect(lasting).not.toMatch(/try|every hour/);
  });

  it('the DM when a feed stops working says the same', () => {
    const member = { kind: 'member' as const, masked: 'https://x.example/…', problem: 'gone', id: '7' };
    expect(feedBroken(member, 30)).toContain(
      'Your last known shifts are kept. I will try it again every 30 minutes. Paste a new link',
    );
    expect(feedBroken({ ...member, lasting: true }, 30)).toContain(
      'kept. Reading that link again will not help. Paste',
    );
    expect(feedBroken({ ...member, kind: 'schedule' }, 1440)).toContain(
      'Its last known shifts are kept. I will try it again every day. `/growth admin oncall-feed remove 7` removes it.',
    );
    expect(feedBroken(member, 30)).not.toContain('keep trying');
  });
});
