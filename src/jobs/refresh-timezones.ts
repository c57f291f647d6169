import { claimStaleTimezones, refreshPeople } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { WEEK_MS } from '../growth/durations.ts';
import { personOf } from '../outbound/users.ts';
import { classifySlackError } from '../slack-errors.ts';

/** Slack's users.info allows about 100 calls a minute: a tick refreshes a small share. */
const REFRESH_PER_RUN = 50;
/** A claimed member whose users.info failed (or whose run died) is tried again after this. */
const CLAIM_MS = 10 * 60_000;

/**
 * People move and travel: each person's timezone (and name) is read again from users.info
 * when it is more than a week old, stalest first. A deactivated account stops getting prompts.
 * Each is claimed first (`claimStaleTimezones`), so instances running at once ask Slack once.
 */
export async function runRefreshTimezones(
  deps: Deps,
  now: Date,
  limit = REFRESH_PER_RUN,
): Promise<{ checked: number; changed: number; left: number }> {
  const stale = await claimStaleTimezones(deps.db, new Date(now.getTime() - WEEK_MS), limit, CLAIM_MS);
  const updates: { teamId: string; userId: string; tz: string | null; name: string | null; left: boolean }[] = [];
  await Promise.all(
    stale.map(async (m) => {
      try {
        const p = personOf((await deps.queue.run(() => deps.slack.users.info({ user: m.userId }), 'users.info')).user);
        updates.push({
          teamId: m.teamId,
          userId: m.userId,
          tz: p?.tz ?? null,
          name: p?.displayName ?? null,
          left: Boolean(p?.deleted),
        });
      } catch (err) {
        const f = classifySlackError(err);
        if (f.kind === 'refused' && f.code === 'user_not_found')
          updates.push({ teamId: m.teamId, userId: m.userId, tz: null, name: null, left: true });
        else deps.logger.warn({ slackError: f.code, userId: m.userId }, 'users.info failed; timezone kept');
      }
    }),
  );
  await refreshPeople(deps.db, updates, now);
  const changed = updates.filter(
    (u) => u.tz && u.tz !== stale.find((s) => s.userId === u.userId && s.teamId === u.teamId)?.tz,
  ).length;
  const report = { checked: updates.length, changed, left: updates.filter((u) => u.left).length };
  if (report.checked) deps.logger.info({ job: 'refresh-timezones', ...report }, 'timezones refreshed');
  return report;
}
