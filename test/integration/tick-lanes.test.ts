// A tick's prompts never wait for the on-call feeds: a feed server that never answers holds its
// own lane (up to the fetch's 15 s budget), and Monday's prompts go out meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberFeed, setMemberFeed } from '../../src/db/oncall-feeds.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { maskUrl } from '../../src/oncall/feed-url.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x), {}, { loopbackFeeds: true });
let s: FeedServer;
beforeAll(async () => {
  s = await startFeedServer();
});
afterAll(async () => s?.close());

describe('a scheduler tick', () => {
  it('sends the due prompts while a feed that never answers is still being fetched', async () => {
    const ids = await seedMembers(h.deps.db, 2);
    for (const id of ids) h.fake.addUser({ id, tz: 'Europe/Berlin' });
    const url = `${s.url}/slow`;
    await setMemberFeed(
      h.deps.db,
      { teamId: TEAM, userId: ids[0]!, url, urlMasked: maskUrl(url) },
      new Date('2026-11-20T00:00:00Z'),
    );
    h.setNow(new Date('2026-12-07T09:05:00Z')); // Monday 10:05 in Berlin: both prompts are due
    const scheduler = startScheduler(h.deps, { cron: '0 0 1 1 *' }); // ticked by hand below
    const tick = scheduler.tick();
    try {
      await h.fake.waitFor('chat.postMessage', 2, 10_000);
      // The feed was asked for and has not answered yet (it fails at the 5 s idle timeout).
      expect(s.requests.some((r) => r.path === '/slow')).toBe(true);
      expect((await memberFeed(h.deps.db, TEAM, ids[0]!))?.lastError).toBeNull();
    } finally {
      await tick;
      await scheduler.stop();
    }
    expect((await memberFeed(h.deps.db, TEAM, ids[0]!))?.lastError).toMatch(/did not (answer|arrive)/);
    expect(scheduler.lastTickAt()).toBeInstanceOf(Date);
  }, 60_000);
});
