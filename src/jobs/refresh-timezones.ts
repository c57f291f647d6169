import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { isValidTimeZone } from '../growth/schedule.ts';
import { classifySlackError } from './slack-errors.ts';

/** Slack's users.info allows about 100 calls a minute: a tick refreshes a small share. */
export const REFRESH_PER_RUN = 50;
const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * People move and travel: each person's timezone (and name) is read again from users.info
 * when it is more than a week old, stalest first. A deactivated account stops getting prompts.
 */
export async function runRefreshTimezones(deps: Deps, now: Date, limit = REFRESH_PER_RUN): Promise<{ checked: number; changed: number; left: number }> {
  const stale = await deps.db
    .selectFrom('members')
    .select(['team_id', 'user_id', 'tz'])
    .where('status', '!=', 'left')
    .where((eb) => eb.or([eb('tz_checked_at', 'is', null), eb('tz_checked_at', '<', new Date(now.getTime() - WEEK_MS))]))
    .orderBy(sql`tz_checked_at nulls first`)
    .limit(limit)
    .execute();
  const updates: { team_id: string; user_id: string; tz: string | null; name: string | null; left: boolean }[] = [];
  await Promise.all(
    stale.map(async (m) => {
      try {
        const res = await deps.queue.run(() => deps.slack.users.info({ user: m.user_id }), 'users.info');
        const u = res.user;
        const tz = u?.tz && isValidTimeZone(u.tz) ? u.tz : null;
        updates.push({ team_id: m.team_id, user_id: m.user_id, tz, name: u?.profile?.display_name || u?.real_name || null, left: Boolean(u?.deleted) });
      } catch (err) {
        const f = classifySlackError(err);
        if (f.kind === 'refused' && f.code === 'user_not_found') updates.push({ team_id: m.team_id, user_id: m.user_id, tz: null, name: null, left: true });
        else deps.logger.warn({ slackError: f.code, userId: m.user_id }, 'users.info failed; timezone kept');
      }
    }),
  );
  if (updates.length) {
    await sql`
      update members m set
        tz = coalesce(u.tz, m.tz),
        display_name = coalesce(u.name, m.display_name),
        status = case when u."left" then 'left' else m.status end,
        tz_checked_at = ${now},
        updated_at = ${now}
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(team_id text, user_id text, tz text, name text, "left" boolean)
      where m.team_id = u.team_id and m.user_id = u.user_id`.execute(deps.db);
  }
  const changed = updates.filter((u) => u.tz && u.tz !== stale.find((s) => s.user_id === u.user_id && s.team_id === u.team_id)?.tz).length;
  const report = { checked: updates.length, changed, left: updates.filter((u) => u.left).length };
  if (report.checked) deps.logger.info({ job: 'refresh-timezones', ...report }, 'timezones refreshed');
  return report;
}
