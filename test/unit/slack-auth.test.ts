import { WebAPIPlatformError } from '@slack/web-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { SlackAuthError, verifySlackToken } from '../../src/slack/auth.ts';

/** Deps with only what the check uses: Slack's auth.test answering each call in turn, and a logger. */
function depsAnswering(...answers: (Record<string, unknown> | Error)[]) {
  const calls: number[] = [];
  const warned: Record<string, unknown>[] = [];
  const deps = {
    slack: {
      auth: {
        test: async () => {
          calls.push(Date.now());
          const a = answers[Math.min(calls.length - 1, answers.length - 1)]!;
          if (a instanceof Error) throw a;
          return a;
        },
      },
    },
    logger: { warn: (fields: Record<string, unknown>) => warned.push(fields) },
  } as unknown as Deps;
  return { deps, calls, warned };
}

const BOT = { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
const refused = () => new WebAPIPlatformError({ ok: false, error: 'invalid_auth' });
const noAnswer = () => Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' });

afterEach(() => {
  vi.useRealTimers();
});

describe('checking the Slack token at start', () => {
  it('returns who the bot is', async () => {
    const { deps, calls } = depsAnswering(BOT);
    expect(await verifySlackToken(deps)).toEqual({ botUserId: 'UBOT', botId: 'BBOT', teamId: 'T1' });
    expect(calls).toHaveLength(1);
  });

  it('refuses a token that is not a bot token, at once, saying which token to use', async () => {
    const { deps, calls } = depsAnswering({ ok: true, user_id: 'U1' }, BOT);
    const err = await verifySlackToken(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackAuthError);
    expect(String((err as Error).message)).toContain('Bot User OAuth Token (xoxb-');
    expect(calls).toHaveLength(1);
    const noUser = depsAnswering({ ok: true, bot_id: 'B1' }, BOT);
    await expect(verifySlackToken(noUser.deps)).rejects.toBeInstanceOf(SlackAuthError);
  });

  it('takes a refusal as final: one call, the error passed on', async () => {
    const { deps, calls } = depsAnswering(refused(), BOT);
    await expect(verifySlackToken(deps)).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(calls).toHaveLength(1);
  });

  it('tries again when Slack does not answer, waiting 1 s then 2 s, and gives up after the attempts', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const later = depsAnswering(noAnswer(), noAnswer(), BOT);
    const t0 = Date.now();
    const ok = verifySlackToken(later.deps);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await ok).toMatchObject({ botUserId: 'UBOT' });
    expect(later.calls.map((t) => t - t0)).toEqual([0, 1_000, 3_000]);
    expect(later.warned).toMatchObject([
      { slackError: 'slack_webapi_request_error', attempt: 1 },
      { slackError: 'slack_webapi_request_error', attempt: 2 },
    ]);

    const never = depsAnswering(noAnswer());
    const failed = verifySlackToken(never.deps, 2).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await failed).toMatchObject({ message: 'socket hang up' });
    expect(never.calls).toHaveLength(2);
  });
});
