import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classifySlackError } from '../../src/slack-errors.ts';

const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });

describe('classifySlackError: rate limits', () => {
  it('a 429 is rate-limited, with Slack’s Retry-After in seconds', () => {
    expect(classifySlackError(new WebAPIRateLimitedError(7))).toEqual({
      kind: 'rate-limited',
      retryAfter: 7,
      code: 'ratelimited',
    });
  });

  it('a 429 without a usable Retry-After waits one second', () => {
    const noHeader = Object.assign(new Error('429'), { code: 'slack_webapi_rate_limited_error' });
    expect(classifySlackError(noHeader)).toMatchObject({ kind: 'rate-limited', retryAfter: 1 });
    const garbage = Object.assign(new Error('429'), { code: 'slack_webapi_rate_limited_error', retryAfter: 'soon' });
    expect(classifySlackError(garbage)).toMatchObject({ kind: 'rate-limited', retryAfter: 1 });
  });

  it('an ok:false "ratelimited" answer is rate-limited too', () => {
    expect(classifySlackError(platform('ratelimited'))).toEqual({
      kind: 'rate-limited',
      retryAfter: 1,
      code: 'ratelimited',
    });
  });
});

describe('classifySlackError: Slack said no (ok:false)', () => {
  it.each([
    'channel_not_found',
    'user_not_found',
    'account_inactive',
    'user_disabled',
    'cannot_dm_bot',
    'is_archived',
    'invalid_auth',
    'token_revoked',
    'missing_scope',
    'invalid_blocks',
    'msg_too_long',
  ])('%s is refused for good: retrying cannot help', (code) => {
    expect(classifySlackError(platform(code))).toEqual({ kind: 'refused', permanent: true, code });
  });

  it.each(['service_unavailable', 'request_timeout', 'team_added_to_org', 'some_new_error_slack_invents'])(
    '%s is refused but worth another try later',
    (code) => {
      expect(classifySlackError(platform(code))).toEqual({ kind: 'refused', permanent: false, code });
    },
  );

  it.each(['internal_error', 'fatal_error'])('%s is not permanent', (code) => {
    const f = classifySlackError(platform(code));
    expect(f.code).toBe(code);
    expect(f).not.toMatchObject({ permanent: true });
  });

  // Slack documents both for chat.postMessage as "It's possible some aspect of the operation
  // succeeded before the error was raised", i.e. the message may have been posted. Classed as
  // `refused` ("nothing was posted"), deliver.ts marks the delivery `failed` rather than
  // `sending`, so the retry does not look for the earlier send and the member can get the same
  // prompt twice. They should be `unknown` like a timeout or a 5xx.
  it.each(['internal_error', 'fatal_error'])('%s may have been posted, so it is unknown, not refused', (code) => {
    expect(classifySlackError(platform(code))).toEqual({ kind: 'unknown', code });
  });

  it('an ok:false answer without an error code is refused as unknown_error', () => {
    const e = Object.assign(new Error('odd'), { code: 'slack_webapi_platform_error', data: { ok: false } });
    expect(classifySlackError(e)).toEqual({ kind: 'refused', permanent: false, code: 'unknown_error' });
  });
});

describe('classifySlackError: fate unknown', () => {
  it.each([500, 502, 503, 504])('HTTP %i is unknown: the message may or may not have been posted', (status) => {
    const e = new WebAPIHTTPError(status, 'Server Error', {}, '<html>oops</html>');
    expect(classifySlackError(e)).toEqual({ kind: 'unknown', code: `http_${status}` });
  });

  it('a request error (timeout, reset connection) is unknown', () => {
    const timeout = Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' });
    expect(classifySlackError(new WebAPIRequestError(timeout))).toEqual({
      kind: 'unknown',
      code: 'slack_webapi_request_error',
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifySlackError(new WebAPIRequestError(reset))).toMatchObject({ kind: 'unknown' });
  });

  it('a bare Node network error is unknown and keeps its code for the logs', () => {
    const e = Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    expect(classifySlackError(e)).toEqual({ kind: 'unknown', code: 'ETIMEDOUT' });
  });

  it.each([new Error('boom'), null, undefined, 'a string', 42])(
    'anything else (%s) is unknown, and does not throw',
    (e) => {
      expect(classifySlackError(e)).toEqual({ kind: 'unknown', code: 'request_error' });
    },
  );
});

describe('classifySlackError(…).code', () => {
  it('gives the code used in logs and metrics', () => {
    expect(classifySlackError(platform('channel_not_found')).code).toBe('channel_not_found');
    expect(classifySlackError(new WebAPIRateLimitedError(3)).code).toBe('ratelimited');
    expect(classifySlackError(new WebAPIHTTPError(503, 'Service Unavailable', {})).code).toBe('http_503');
    expect(classifySlackError(undefined).code).toBe('request_error');
  });
});
