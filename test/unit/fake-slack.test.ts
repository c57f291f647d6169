import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { LogLevel, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import {
  appHomeOpened,
  send,
  signSlackRequest,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

const TOKEN = 'xoxb-test-token';
let fake: FakeSlack;
// Quiet logger: the client warns on purpose-made failures and tests should not be noisy.
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};
const client = (retries = 0): WebClient =>
  new WebClient(TOKEN, {
    slackApiUrl: fake.url,
    logger: quiet,
    retryConfig: { retries, minTimeout: 10, maxTimeout: 10 },
  });

beforeAll(async () => {
  fake = await startFakeSlack({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('fake Slack Web API', () => {
  it('serves a url ending in /api/', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('records chat.postMessage with decoded blocks and returns increasing ts and a DM channel', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const a = await client().chat.postMessage({ channel: 'U123', text: 'hi', blocks });
    const b = await client().chat.postMessage({ channel: 'C9', text: 'again' });
    expect(a.channel).toBe('D123');
    expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe(TOKEN);
    expect(call?.args).toMatchObject({ channel: 'U123', text: 'hi', blocks });
  });

  it('surfaces invalid_arguments for a missing required arg and flags the call as failed', async () => {
    const err = (await client()
      .apiCall('chat.postMessage', { text: 'no channel' })
      .catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.code).toBe('slack_webapi_platform_error');
    expect(err.data.error).toBe('invalid_arguments');
    expect(err.data.response_metadata?.messages).toEqual(['[ERROR] missing required field: channel']);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.failed).toBe(true);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('rejects a wrong token and an unknown method', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fake.url, logger: quiet, retryConfig: { retries: 0 } });
    await expect(wrong.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client().apiCall('nope.never')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('answers users.info with tz and offset, and user_not_found otherwise', async () => {
    fake.addUser({ id: 'U1', tz: 'Asia/Kolkata', real_name: 'Asha', email: 'asha@example.com' });
    const res = await client().users.info({ user: 'U1' });
    expect(res.user).toMatchObject({
      id: 'U1',
      tz: 'Asia/Kolkata',
      tz_offset: 19800,
      real_name: 'Asha',
      profile: { email: 'asha@example.com' },
    });
    const byEmail = await client().users.lookupByEmail({ email: 'asha@example.com' });
    expect(byEmail.user?.id).toBe('U1');
    await expect(client().users.info({ user: 'U404' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('sends 429 with Retry-After and a retrying client gets through on the second try', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const res = await client(2).chat.postMessage({ channel: 'C1', text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls.map((c) => [c.method, c.failed ?? false])).toEqual([
      ['chat.postMessage', true],
      ['chat.postMessage', false],
    ]);
  });

  it('injects platform errors, 5xx and a deterministic failure share', async () => {
    fake.failNext('views.publish', { error: 'not_allowed_token_type' });
    await expect(client().views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    fake.failNext('auth.test', { status: 503 });
    await expect(client().auth.test()).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });

    const outcomes = async (): Promise<boolean[]> => {
      fake.reset();
      fake.failShare('chat.postEphemeral', 0.5, { error: 'fatal_error' }, 42);
      const results: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        results.push(
          await client()
            .chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x' })
            .then(
              () => true,
              () => false,
            ),
        );
      }
      return results;
    };
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(3);
    expect(first.filter((ok) => ok).length).toBeGreaterThan(3);
  });

  it('accepts JSON bodies and answers a delayed call after the client gave up, keeping its side effect', async () => {
    const res = await fetch(`${fake.url}views.open`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        trigger_id: fake.issueTrigger('U1'),
        view: { type: 'modal', callback_id: 'cb', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
      }),
    });
    expect(await res.json()).toMatchObject({ ok: true, view: { id: expect.stringMatching(/^V/), callback_id: 'cb' } });

    fake.failNext('chat.postMessage', { delayMs: 300 });
    const impatient = new WebClient(TOKEN, {
      slackApiUrl: fake.url,
      logger: quiet,
      timeout: 50,
      retryConfig: { retries: 0 },
    });
    await expect(impatient.chat.postMessage({ channel: 'C1', text: 'slow' })).rejects.toMatchObject({
      code: 'slack_webapi_request_error',
    });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('round-trips filesUploadV2 content into uploads', async () => {
    const csv = 'user,level\nU1,senior\n';
    const res = await client().filesUploadV2({
      channel_id: 'D1',
      filename: 'export.csv',
      content: csv,
      title: 'Export',
    });
    expect(res.ok).toBe(true);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.filename).toBe('export.csv');
    expect(fake.uploads[0]?.content.toString('utf8')).toBe(csv);
    const [complete] = fake.callsTo('files.completeUploadExternal');
    expect(complete?.args.files).toEqual([{ id: fake.uploads[0]?.fileId, title: 'Export' }]);
  });
});

describe('Slack request signing', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const timestamp = 1531420618;
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fgrowth&text=help';

  it('matches an independent HMAC-SHA256 of v0:{ts}:{body}', () => {
    const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
    expect(signSlackRequest(secret, timestamp, body)).toBe(expected);
  });

  it('is accepted by bolt verifySlackRequest for real builder bodies, and a tampered body is not', () => {
    for (const req of [
      slashCommand({ text: 'help', user_id: 'U1' }),
      viewSubmission({ user: 'U1', callback_id: 'cb', private_metadata: '{}', values: { b: { a: textValue('x') } } }),
    ]) {
      const now = Date.now();
      const ts = Math.floor(now / 1000);
      const headers = { 'x-slack-signature': signSlackRequest(secret, ts, req.body), 'x-slack-request-timestamp': ts };
      expect(() =>
        verifySlackRequest({ signingSecret: secret, body: req.body, headers, nowMilliseconds: now }),
      ).not.toThrow();
      expect(isValidSlackRequest({ signingSecret: secret, body: `${req.body}x`, headers, nowMilliseconds: now })).toBe(
        false,
      );
      expect(req.contentType).toBe('application/x-www-form-urlencoded');
    }
  });

  it('send() posts to /slack/events with signed headers, an old timestamp, or none at all', async () => {
    const seen: { path?: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ path: req.url, headers: req.headers, body });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const home = appHomeOpened({ user: 'U1' });
      expect(await send(base, home, { secret })).toEqual({ status: 200, text: '{"ok":true}', json: { ok: true } });
      const old = Math.floor(Date.now() / 1000) - 600;
      await send(base, home, { secret, timestamp: old });
      await send(base, home, { secret, signature: null });
      const [signed, stale, unsigned] = seen;
      expect(signed?.path).toBe('/slack/events');
      expect(signed?.headers['content-type']).toBe('application/json');
      expect(signed?.body).toBe(home.body);
      const ts = Number(signed?.headers['x-slack-request-timestamp']);
      expect(signed?.headers['x-slack-signature']).toBe(signSlackRequest(secret, ts, home.body));
      expect(stale?.headers['x-slack-request-timestamp']).toBe(String(old));
      expect(unsigned?.headers['x-slack-signature']).toBeUndefined();
      expect(unsigned?.headers['x-slack-request-timestamp']).toBeUndefined();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
