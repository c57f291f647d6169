import { claimDueFeeds, type FeedToFetch } from '../db/oncall-feeds.ts';
import type { Deps } from '../deps.ts';
import { maskUrl } from '../oncall/feed-url.ts';
import { type Directory, refreshFeed } from '../oncall/refresh.ts';
import { slackDirectory } from '../outbound/users.ts';
import { feedBroken } from '../outbound/views/oncall.ts';

/** Feeds looked at per run, at most; the rest wait for the next tick. */
const FEEDS_PER_RUN = 1000;

export interface OncallFeedsReport {
  fetched: number;
  unchanged: number;
  parsed: number;
  failed: number;
  told: number;
}

/**
 * Fetches every feed not fetched in the last ONCALL_FEED_INTERVAL_MINUTES, a few at a time,
 * and stores its shifts. A broken feed keeps its last good shifts and its owner hears of it
 * once per breakage (again only after it has worked and broken anew).
 */
export async function runOncallFeeds(
  deps: Deps,
  now: Date,
  opts: { directory?: Directory } = {},
): Promise<OncallFeedsReport> {
  const { intervalMinutes, concurrency } = deps.config.oncallFeeds;
  const feeds = await claimDueFeeds(deps.db, new Date(now.getTime() - intervalMinutes * 60_000), FEEDS_PER_RUN, now);
  const report: OncallFeedsReport = { fetched: feeds.length, unchanged: 0, parsed: 0, failed: 0, told: 0 };
  // One users.info round per team and run, and only if a schedule feed changed.
  const directories = new Map<string, ReturnType<Directory>>();
  const load = opts.directory ?? slackDirectory(deps);
  const directory: Directory = (teamId) =>
    directories.get(teamId) ?? directories.set(teamId, load(teamId)).get(teamId)!;
  const one = async (feed: FeedToFetch) => {
    try {
      const r = await refreshFeed(deps, feed, now, directory);
      if (r.kind === 'unchanged') report.unchanged++;
      else if (r.kind === 'ok') report.parsed++;
      else {
        report.failed++;
        if (r.notify && (await tell(deps, feed, r.message))) report.told++;
      }
    } catch (err) {
      report.failed++;
      deps.logger.error({ err, feedId: feed.id }, 'on-call feed refresh failed; tried again next run');
    }
  };
  const queue = [...feeds];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) await one(f);
    }),
  );
  if (report.fetched) deps.logger.info({ job: 'oncall-feeds', ...report }, 'on-call feeds fetched');
  return report;
}

/** A DM to the feed's owner (a schedule feed's owner is the admin who added it). */
async function tell(deps: Deps, feed: FeedToFetch, message: string): Promise<boolean> {
  const to = feed.ownerId ?? feed.createdBy;
  if (!to) return false; // the admin who added it asked to be forgotten
  try {
    const text = feedBroken({ kind: feed.kind, masked: maskUrl(feed.url), problem: message, id: feed.id });
    await deps.queue.run(() => deps.slack.chat.postMessage({ channel: to, text }), 'chat.postMessage');
    return true;
  } catch (err) {
    deps.logger.warn(
      { slackError: (err as { data?: { error?: string } }).data?.error, feedId: feed.id },
      'could not tell the owner of a broken feed',
    );
    return false;
  }
}
