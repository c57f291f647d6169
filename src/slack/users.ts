import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';

export interface SlackPerson {
  displayName: string | null;
  tz: string;
  isBot: boolean;
  deleted: boolean;
}

/**
 * Reads a person's name and timezone with users.info. When Slack cannot tell us, the person
 * is still usable with UTC (the timezone is refreshed later), so a Slack hiccup never blocks
 * someone from joining.
 */
export async function lookupPerson(client: WebClient, userId: string, logger: Logger): Promise<SlackPerson | null> {
  try {
    const res = await client.users.info({ user: userId });
    const u = res.user;
    if (!u) return null;
    return {
      displayName: u.profile?.display_name || u.real_name || u.name || null,
      tz: u.tz || 'UTC',
      isBot: Boolean(u.is_bot),
      deleted: Boolean(u.deleted),
    };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    logger.warn({ err, slackError: code, userId }, 'users.info failed');
    return null;
  }
}
