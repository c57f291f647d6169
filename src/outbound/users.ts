import type { UsersInfoResponse, WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.ts';
import { joinedMembers } from '../db/members.ts';
import { isValidTimeZone } from '../growth/schedule.ts';
import type { Logger } from '../logger.ts';
import type { SendQueue } from './send-queue.ts';

export interface SlackPerson {
  displayName: string | null;
  /** Null when Slack gave none we can schedule by. */
  tz: string | null;
  isBot: boolean;
  deleted: boolean;
}

/**
 * What we keep of a users.info answer. Every reader of users.info goes through this, so a zone
 * the scheduler cannot use (which would stop a whole fan-out) never reaches the database.
 */
export function personOf(u: UsersInfoResponse['user']): SlackPerson | null {
  if (!u) return null;
  return {
    displayName: u.profile?.display_name || u.real_name || u.name || null,
    tz: u.tz && isValidTimeZone(u.tz) ? u.tz : null,
    isBot: Boolean(u.is_bot),
    deleted: Boolean(u.deleted),
  };
}

/**
 * Reads a person's name and timezone with users.info. When Slack cannot tell us, the person
 * is still usable with UTC (the timezone is refreshed later), so a Slack hiccup never blocks
 * someone from joining.
 */
export async function lookupPerson(client: WebClient, userId: string, logger: Logger): Promise<SlackPerson | null> {
  try {
    return personOf((await client.users.info({ user: userId })).user);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    logger.warn({ err, slackError: code, userId }, 'users.info failed');
    return null;
  }
}

/** The names and e-mail a schedule feed may know someone by; none when Slack cannot tell us. */
export async function namesInSlack(client: WebClient, userId: string, logger: Logger): Promise<string[]> {
  try {
    const u = (await client.users.info({ user: userId })).user;
    return [u?.profile?.display_name, u?.profile?.real_name, u?.real_name, u?.profile?.email].filter((x): x is string =>
      Boolean(x),
    );
  } catch (err) {
    logger.warn({ slackError: (err as { data?: { error?: string } }).data?.error, userId }, 'users.info failed');
    return [];
  }
}

/**
 * The team's members as Slack knows them (e-mail with users:read.email, display and real
 * names), read with users.info through the send queue's pacing: what schedule feeds are
 * matched against. A member Slack cannot tell us about is left out (and so never guessed).
 */
export function slackDirectory(deps: { db: Db; slack: WebClient; queue: SendQueue; logger: Logger }, limit = 1000) {
  return async (teamId: string) => {
    const members = (await joinedMembers(deps.db, teamId)).slice(0, limit);
    const found = await Promise.all(
      members.map(async (m) => {
        try {
          const u = (await deps.queue.run(() => deps.slack.users.info({ user: m.userId }), 'users.info')).user;
          const names = [u?.profile?.display_name, u?.profile?.real_name, u?.real_name].filter((x): x is string =>
            Boolean(x),
          );
          return { userId: m.userId, tz: m.tz, emails: u?.profile?.email ? [u.profile.email] : [], names };
        } catch (err) {
          deps.logger.warn(
            { slackError: (err as { data?: { error?: string } }).data?.error, userId: m.userId },
            'users.info failed; member left out of feed matching',
          );
          return null;
        }
      }),
    );
    return found.filter((p) => p !== null);
  };
}
