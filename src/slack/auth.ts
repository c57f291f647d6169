import type { Deps } from '../deps.ts';
import { classifySlackError } from './slack-errors.ts';

export class SlackAuthError extends Error {
  readonly code = 'slack_auth_failed';
}

/**
 * Asks Slack who this token is before anything listens, so a wrong token or an unreachable
 * Slack stops the start with one clear sentence rather than a stack trace later.
 */
export async function verifySlackToken(deps: Deps, attempts = 3): Promise<{ botUserId: string; botId: string; teamId: string }> {
  const where = deps.config.slack.apiUrl ?? 'https://slack.com/api/';
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await deps.slack.auth.test();
      if (!r.user_id || !r.bot_id) throw new SlackAuthError('SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…) from https://api.slack.com/apps → your app → OAuth & Permissions.');
      return { botUserId: r.user_id, botId: r.bot_id, teamId: r.team_id ?? '' };
    } catch (err) {
      if (err instanceof SlackAuthError) throw err;
      const f = classifySlackError(err);
      if (f.kind === 'refused') {
        throw new SlackAuthError(`Slack refused SLACK_BOT_TOKEN (${f.code}). Copy the Bot User OAuth Token again from https://api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app if it was revoked.`);
      }
      if (attempt >= attempts) throw new SlackAuthError(`Could not reach Slack at ${where} (${f.code}) after ${attempts} tries. Check the network (and SLACK_API_URL, if set).`);
      deps.logger.warn({ slackError: f.code, attempt }, 'Slack did not answer auth.test; trying again');
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}
