import type { FeedToFetch } from '../db/oncall-feeds.ts';
import type { Deps } from '../deps.ts';
import { maskUrl } from '../oncall/feed-url.ts';
import type { Directory } from '../oncall/read-feed.ts';
import { slackDirectory } from '../outbound/users.ts';
import { feedBroken } from '../outbound/views/oncall.ts';
import { refreshDueFeeds } from '../services/oncall-feeds.ts';

export interface OncallFeedsReport {
  fetched: number;
  unchanged: number;
  parsed: number;
  failed: number;
  told: number;
}

/**
 * Refreshes every feed that is due (`services/oncall-feeds.ts`). A broken feed keeps its last
 * good shifts and its owner hears of it once per breakage (again only after it has worked and
 * broken anew).
 */
export async function runOncallFeeds(
  deps: Deps,
  now: Date,
  opts: { directory?: Directory } = {},
): Promise<OncallFeedsReport> {
  const refreshed = await refreshDueFeeds(deps, now, opts.directory ?? slackDirectory(deps));
  const report: OncallFeedsReport = { fetched: refreshed.length, unchanged: 0, parsed: 0, failed: 0, told: 0 };
  await Promise.all(
    refreshed.map(async ({ feed, outcome: r }) => {
      if (r.kind === 'unchanged') report.unchanged++;
      else if (r.kind === 'ok') report.parsed++;
      else {
        report.failed++;
        // The send queue paces these, as every DM a job sends.
        if (r.kind === 'error' && r.notify && (await tell(deps, feed, r.message, r.lasting))) report.told++;
      }
    }),
  );
  if (report.fetched) deps.logger.info({ job: 'oncall-feeds', ...report }, 'on-call feeds fetched');
  return report;
}

/** A DM to the feed's owner (a schedule feed's owner is the admin who added it). */
async function tell(deps: Deps, feed: FeedToFetch, message: string, lasting: boolean | undefined): Promise<boolean> {
  const to = feed.ownerId ?? feed.createdBy;
  if (!to) return false; // the admin who added it asked to be forgotten
  try {
    const text = feedBroken(
      { kind: feed.kind, masked: maskUrl(feed.url), problem: message, id: feed.id, lasting },
      deps.config.oncallFeeds.intervalMinutes,
    );
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
