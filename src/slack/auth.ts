import type { Deps } from '../deps.ts';
import { KnownError } from '../errors.ts';
import { classifySlackError } from '../slack-errors.ts';

export class SlackAuthError extends KnownError {
  readonly code = 'slack_auth_failed';
}

/**
 * Asks Slack who this token is before anything listens, so a wrong token or an unreachable
 * Slack stops the start with one clear sentence (src/errors.ts words it) rather than a stack
 * trace later. A refusal is final; no answer is tried again a few times.
 */
export async function verifySlackToken(
  deps: Deps,
  attempts = 3,
): Promise<{ botUserId: string; botId: string; teamId: string; scopes: string[] | undefined }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await deps.slack.auth.test();
      if (!r.user_id || !r.bot_id)
        throw new SlackAuthError(
          'SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…) from https://api.slack.com/apps → your app → OAuth & Permissions.',
        );
      // Slack names the token's scopes in a header (x-oauth-scopes) the client puts here.
      return { botUserId: r.user_id, botId: r.bot_id, teamId: r.team_id ?? '', scopes: r.response_metadata?.scopes };
    } catch (err) {
      const f = classifySlackError(err);
      if (err instanceof SlackAuthError || f.kind === 'refused' || attempt >= attempts) throw err;
      deps.logger.warn({ slackError: f.code, attempt }, 'Slack did not answer auth.test; trying again');
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}
