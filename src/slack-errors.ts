/**
 * What a failed Web API call means for a send:
 * - `rate-limited`: Slack refused it (429), nothing was posted; wait `retryAfter` s and repeat.
 * - `refused`: Slack answered ok:false; nothing was posted. `permanent` when retrying cannot help.
 * - `unknown`: a timeout, a dropped connection or a 5xx; the message may or may not have been
 *   posted, so look before sending again.
 */
export type SendFailure =
  | { kind: 'rate-limited'; retryAfter: number; code: string }
  | { kind: 'refused'; permanent: boolean; code: string }
  | { kind: 'unknown'; code: string };

/** Errors after which sending to this person again this week cannot work. */
const PERMANENT = new Set([
  'user_not_found',
  'channel_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'not_in_channel',
  'is_archived',
  'messages_tab_disabled',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'invalid_arguments',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'team_access_not_granted',
  'restricted_action',
]);

interface SlackishError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
}

export function classifySlackError(err: unknown): SendFailure {
  const e = (err ?? {}) as SlackishError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'rate-limited', retryAfter: Math.max(0, Number(e.retryAfter) || 1), code: 'ratelimited' };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return { kind: 'rate-limited', retryAfter: 1, code };
      // Slack: "it's possible some aspect of the operation succeeded before the error was raised".
      if (code === 'internal_error' || code === 'fatal_error') return { kind: 'unknown', code };
      return { kind: 'refused', permanent: PERMANENT.has(code), code };
    }
    case 'slack_webapi_http_error':
      return { kind: 'unknown', code: `http_${e.statusCode ?? 'error'}` };
    default:
      return { kind: 'unknown', code: e.code ?? 'request_error' };
  }
}
