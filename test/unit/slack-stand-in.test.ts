import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/slack-stand-in.ts';

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
