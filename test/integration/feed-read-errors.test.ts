// A feed that cannot be fetched today may be read at the next try: its owner is told so, not
// that only a corrected link helps (that is for links this process never fetches: the
// sandbox's outside links). Against a closed port on loopback. Found by mutation testing (issue 22).
import { describe, expect, it } from 'vitest';
import type { FeedToFetch } from '../../src/db/oncall-feeds.ts';
import { readFeed } from '../../src/oncall/read-feed.ts';
import { closedPort } from '../support/processes.ts';

describe('a failed fetch is one that may work again', () => {
  it('a refused connection comes back as an error to retry, not a lasting one', async () => {
    const port = await closedPort();
    const feed: FeedToFetch = {
      id: 'feed-1',
      teamId: 'T1',
      kind: 'member',
      ownerId: 'U1',
      createdBy: 'U1',
      url: `http://127.0.0.1:${port}/x.ics`,
      etag: null,
      lastModified: null,
      parsedAt: null,
    };
    const access = {
      config: { oncallFeeds: { intervalMinutes: 30, concurrency: 2, allowPrivate: false } },
      feedAccess: { allowLoopback: true },
    };
    const noPeople = {
      ownerTz: async () => 'UTC',
      directory: async () => [],
    };
    expect(await readFeed(access, feed, new Date(), noPeople)).toEqual({
      kind: 'error',
      message: "the feed's server refused the connection",
    });
  });
});
