import { request } from 'node:http';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, MAX_CALL_BYTES, MAX_UPLOAD_BYTES, startFakeSlack } from '../../src/sandbox/slack-stand-in.ts';

// The stand-in's own rules: what Slack refuses, it refuses, with Slack's error shapes.
const TOKEN = 'xoxb-test-token';
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};
let fake: FakeSlack;
const client = (): WebClient =>
  new WebClient(TOKEN, { slackApiUrl: fake.url, logger: quiet, retryConfig: { retries: 0 } });
const refusal = async (p: Promise<unknown>): Promise<Record<string, unknown>> =>
  p.then(
    () => ({ ok: true }),
    (e: { data?: Record<string, unknown> }) => e.data ?? {},
  );
const modal = (over: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: 'Check-in' },
  blocks: [],
  ...over,
});
const section = (text: string, block_id?: string) => ({
  type: 'section',
  ...(block_id ? { block_id } : {}),
  text: { type: 'mrkdwn', text },
});

beforeAll(async () => {
  fake = await startFakeSlack({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('trigger ids', () => {
  it('opens a modal with a trigger it issued, once; a reused one is exchanged_trigger_id, an unknown one invalid', async () => {
    const trigger = fake.issueTrigger('U1');
    const opened = await client().views.open({ trigger_id: trigger, view: modal() });
    expect(fake.workspace.modals.get('U1')?.map((v) => v.id)).toEqual([opened.view?.id]);
    expect(await refusal(client().views.open({ trigger_id: trigger, view: modal() }))).toMatchObject({
      error: 'exchanged_trigger_id',
    });
    expect(await refusal(client().views.open({ trigger_id: '1.2.3', view: modal() }))).toMatchObject({
      error: 'invalid_trigger_id',
    });
  });

  it('refuses a trigger older than 3 seconds with expired_trigger_id', async () => {
    const trigger = fake.issueTrigger('U1');
    await new Promise((r) => setTimeout(r, 3_100));
    expect(await refusal(client().views.open({ trigger_id: trigger, view: modal() }))).toMatchObject({
      error: 'expired_trigger_id',
    });
    expect(fake.workspace.modals.get('U1') ?? []).toEqual([]);
  });

  it('pushes onto the stack (three at most) and updates by view_id with the current hash only', async () => {
    const root = (await client().views.open({ trigger_id: fake.issueTrigger('U1'), view: modal() })).view!;
    const pushed = (
      await client().views.push({ trigger_id: fake.issueTrigger('U1'), view: modal({ callback_id: 'second' }) })
    ).view!;
    expect(pushed).toMatchObject({ root_view_id: root.id, previous_view_id: root.id });
    await client().views.push({ trigger_id: fake.issueTrigger('U1'), view: modal() });
    expect(await refusal(client().views.push({ trigger_id: fake.issueTrigger('U1'), view: modal() }))).toMatchObject({
      error: 'push_limit_reached',
    });
    const updated = await client().views.update({
      view_id: pushed.id!,
      hash: pushed.hash!,
      view: modal({ callback_id: 'changed' }),
    });
    expect(fake.workspace.modals.get('U1')?.[1]?.view.callback_id).toBe('changed');
    expect(
      await refusal(client().views.update({ view_id: pushed.id!, hash: pushed.hash!, view: modal() })),
    ).toMatchObject({ error: 'hash_conflict' });
    expect(updated.view?.hash).not.toBe(pushed.hash);
    expect(await refusal(client().views.update({ view_id: 'VNOPE', view: modal() }))).toMatchObject({
      error: 'not_found',
    });
  });
});

describe('Block Kit limits', () => {
  it('refuses a 51-block message with invalid_blocks and says where', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    expect(await refusal(client().chat.postMessage({ channel: 'U1', text: 'x', blocks }))).toEqual({
      ok: false,
      error: 'invalid_blocks',
      // The client adds the granted scopes (the x-oauth-scopes header) as Slack's own answers carry them.
      response_metadata: expect.objectContaining({
        messages: ['[ERROR] must provide no more than 50 items [json-pointer:/blocks]'],
      }),
    });
    expect(fake.workspace.conversations.get('D1') ?? []).toEqual([]);
  });

  it('points at a long button text, an oversized section, a repeated block_id and an unknown block', async () => {
    const blocks = [
      {
        type: 'actions',
        block_id: 'a',
        elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'x'.repeat(76) } }],
      },
      section('y'.repeat(3001), 'a'),
      { type: 'carousel' },
    ];
    const res = await refusal(client().chat.postMessage({ channel: 'U1', text: 'x', blocks }));
    expect(res.error).toBe('invalid_blocks');
    expect((res.response_metadata as { messages: string[] }).messages).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
      '[ERROR] block_id a is already used [json-pointer:/blocks/1/block_id]',
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]',
      '[ERROR] unknown block type carousel [json-pointer:/blocks/2/type]',
    ]);
  });

  it('refuses a modal with a 25-character title, long private_metadata or inputs without submit', async () => {
    const view = modal({
      title: { type: 'plain_text', text: 'x'.repeat(25) },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'What' },
          element: { type: 'plain_text_input', action_id: 'w' },
        },
      ],
    });
    const res = await refusal(client().views.open({ trigger_id: fake.issueTrigger('U1'), view }));
    expect(res).toMatchObject({ error: 'invalid_arguments' });
    expect((res.response_metadata as { messages: string[] }).messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]',
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      '[ERROR] submit is required when an input block is present [json-pointer:/view/submit]',
    ]);
  });
});

describe('scopes and arguments', () => {
  it('answers missing_scope with needed and provided when the manifest lacks the method\u2019s scope', async () => {
    const narrow = await startFakeSlack({ token: TOKEN, scopes: ['chat:write', 'commands'] });
    try {
      const c = new WebClient(TOKEN, { slackApiUrl: narrow.url, logger: quiet, retryConfig: { retries: 0 } });
      expect(await refusal(c.users.info({ user: 'U1' }))).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'users:read',
        provided: 'chat:write,commands',
      });
      expect(await refusal(c.chat.postMessage({ channel: 'U1', text: 'fine' }))).toMatchObject({ ok: true });
    } finally {
      await narrow.close();
    }
  });

  it('grants what slack-app-manifest.yml grants', async () => {
    fake.addUser({ id: 'U1', tz: 'UTC' });
    expect(await refusal(client().users.info({ user: 'U1' }))).toMatchObject({ ok: true });
  });

  it('needs chat.update\u2019s ts and refuses to edit a message that does not exist', async () => {
    expect(await refusal(client().apiCall('chat.update', { channel: 'D1', text: 'x' }))).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] missing required field: ts'] },
    });
    expect(await refusal(client().chat.update({ channel: 'D1', ts: '1.000001', text: 'x' }))).toMatchObject({
      error: 'message_not_found',
    });
  });
});

describe('conversations', () => {
  it('edits in place, keeps ephemeral messages out of history, threads replies and shares files into the DM', async () => {
    const first = await client().chat.postMessage({ channel: 'U1', text: 'prompt' });
    await client().chat.update({ channel: first.channel!, ts: first.ts!, text: 'prompt (answered)' });
    await client().chat.postEphemeral({ channel: 'U1', user: 'U1', text: 'only you' });
    await client().chat.postMessage({ channel: 'U1', thread_ts: first.ts!, text: 'in thread' });
    await client().filesUploadV2({ channel_id: 'D1', filename: 'export.json', content: '{"checkins":[]}' });
    const dm = fake.workspace.conversations.get('D1')!;
    expect(dm.map((m) => [m.text, m.edited, m.ephemeral, m.thread_ts ?? null, m.files?.[0]?.name ?? null])).toEqual([
      ['prompt (answered)', true, false, null, null],
      ['only you', false, true, null, null],
      ['in thread', false, false, first.ts, null],
      ['', false, false, null, 'export.json'],
    ]);
    const history = await client().conversations.history({ channel: 'D1' });
    expect(history.messages?.map((m) => m.text)).toEqual(['', 'prompt (answered)']);
    await client().chat.delete({ channel: 'D1', ts: first.ts! });
    expect(fake.workspace.find('D1', first.ts!)).toBeUndefined();
  });

  it('serves response_urls: ephemeral by default, replace_original on the message, five uses at most', async () => {
    const posted = await client().chat.postMessage({ channel: 'U1', text: 'are you sure?' });
    const url = fake.responseUrl('U1', { messageTs: posted.ts! });
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ text: 'working on it' })).status).toBe(200);
    expect((await post({ replace_original: true, text: 'done' })).status).toBe(200);
    expect(fake.workspace.conversations.get('D1')!.map((m) => [m.text, m.ephemeral])).toEqual([
      ['done', false],
      ['working on it', true],
    ]);
    for (let i = 0; i < 3; i++) await post({ text: `again ${i}` });
    expect((await post({ text: 'sixth' })).status).toBe(404);
  });
});

describe('only the app talks to it, never a web page', () => {
  const port = (): string => new URL(fake.url).port;
  /** A raw HTTP call, so the test sets every header a browser would (fetch adds its own). */
  const call = (
    path: string,
    o: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, fake.url),
        { method: o.method ?? 'POST', headers: o.headers, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.end(o.body);
    });
  const postMessage = (headers: Record<string, string>) =>
    call('/api/chat.postMessage', {
      headers: { 'content-type': 'text/plain', ...headers },
      body: `token=${TOKEN}&channel=U1&text=forget+me%3F`,
    });
  const dm = (): string[] => (fake.workspace.conversations.get('D1') ?? []).map((m) => m.text);

  it('refuses (403, nothing posted) a call carrying an Origin or the Sec-Fetch headers a browser adds', async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://attacker.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'empty' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-mode': 'no-cors' },
      { 'sec-fetch-mode': 'navigate' },
      { 'sec-fetch-dest': 'document' },
      { 'sec-fetch-user': '?1' },
    ])
      expect([headers, (await postMessage(headers)).status]).toEqual([headers, 403]);
    expect(dm()).toEqual([]);
    expect(fake.calls).toEqual([]);
    // The same call from Node (node:http sends none of these; Node's fetch, which the Slack client
    // uses, sends Sec-Fetch-Mode: cors alone) is taken: the refusals were for the headers.
    expect((await postMessage({})).status).toBe(200);
    expect((await postMessage({ 'sec-fetch-mode': 'cors' })).status).toBe(200);
    expect(dm()).toEqual(['forget me?', 'forget me?']);
  });

  it('keeps an upload from a web page out: the file keeps the bytes the app sent', async () => {
    await client().filesUploadV2({ channel_id: 'D1', filename: 'export.json', content: '{"mine":true}' });
    const file = [...fake.workspace.files.values()][0]!;
    expect(file.content?.toString()).toBe('{"mine":true}');
    const replaced = await call(`/upload/${file.id}`, {
      headers: { 'content-type': 'text/plain', origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
      body: '{"theirs":true}',
    });
    expect(replaced.status).toBe(403);
    expect(fake.workspace.files.get(file.id)?.content?.toString()).toBe('{"mine":true}');
  });

  it('answers only at its own loopback address and port (DNS rebinding is refused)', async () => {
    await client().chat.postMessage({ channel: 'U1', text: 'a private DM' });
    const history = (host: string) =>
      call(`/api/conversations.history?channel=D1&token=${TOKEN}`, { method: 'GET', headers: { host } });
    for (const host of [`127.0.0.1:${port()}`, `[::1]:${port()}`, `localhost:${port()}`, `LOCALHOST:${port()}`]) {
      const ours = await history(host);
      expect([host, ours.status, ours.text]).toEqual([host, 200, expect.stringContaining('a private DM')]);
    }
    for (const host of [`rebind.attacker.example:${port()}`, `127.0.0.1:${Number(port()) + 1}`, '127.0.0.1']) {
      const theirs = await history(host);
      expect([host, theirs.status, theirs.text]).toEqual([host, 403, expect.not.stringContaining('a private DM')]);
    }
  });

  it('answers 413 to a body past its cap, keeps none of it and cuts off a sender that goes on; takes the largest message and export', async () => {
    // Slack's largest message: 40,000 characters of text, 50 blocks of 3,000, all outside ASCII.
    const big = await client().chat.postMessage({
      channel: 'U1',
      text: 'ß'.repeat(40_000),
      blocks: Array.from({ length: 50 }, () => section('€'.repeat(3000))),
    });
    expect(big.ok).toBe(true);
    // An export of 20 MiB (a decade of weekly check-ins at their longest) is a file it takes.
    const export20 = Buffer.alloc(20 * 1024 * 1024, 'x');
    await client().filesUploadV2({ channel_id: 'D1', filename: 'export.json', file: export20 });
    expect([...fake.workspace.files.values()].map((f) => f.content?.length)).toEqual([export20.length]);
    // A declared length past the cap is refused before any byte of the body is read.
    const declared = await call('/api/chat.postMessage', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(MAX_CALL_BYTES + 1) },
    }).catch((e: Error) => ({ status: 0, text: e.message }));
    expect(declared.status).toBe(413);
    const file = (await client().files.getUploadURLExternal({ filename: 'x.json', length: 1 })).file_id!;
    const upload = await call(`/upload/${file}`, {
      headers: { 'content-type': 'text/plain', 'content-length': String(MAX_UPLOAD_BYTES + 1) },
    }).catch((e: Error) => ({ status: 0, text: e.message }));
    expect(upload.status).toBe(413);
    // A streamed body (no length given) is answered once it passes the cap, while still sending;
    // a sender that goes on anyway is cut off well before it has sent what it meant to (256 MiB).
    const streamed = await new Promise<{ status: number; atAnswer: number; sent: number; cutOff: boolean }>(
      (resolve) => {
        const req = request(new URL('/api/chat.postMessage', fake.url), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          agent: false,
        });
        let sent = 0;
        let status = 0;
        let atAnswer = -1;
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        const pump = (): void => {
          while (!req.destroyed && sent < 16 * MAX_CALL_BYTES) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!req.destroyed) req.end();
        };
        req.on('response', (res) => {
          status = res.statusCode!;
          atAnswer = sent;
          res.resume();
        });
        req.on('error', () => undefined);
        req.on('close', () => resolve({ status, atAnswer, sent, cutOff: sent < 16 * MAX_CALL_BYTES }));
        pump();
      },
    );
    expect(streamed).toMatchObject({ status: 413, cutOff: true });
    expect(streamed.atAnswer).toBeGreaterThan(MAX_CALL_BYTES);
    expect(streamed.atAnswer).toBeLessThan(2 * MAX_CALL_BYTES);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
