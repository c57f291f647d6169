// Request bodies that are valid JSON but not an object, signed as Slack signs them. In Bolt's
// receiver `null` reaches `body.ssl_check` outside any handler, and the process ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../support/harness.ts';
import { ODD_JSON } from '../support/odd-inputs.ts';
import { slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));

const problems: unknown[] = [];
const onProblem = (e: unknown) => problems.push(e);
beforeAll(() => {
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
});
afterAll(() => {
  process.off('unhandledRejection', onProblem);
  process.off('uncaughtException', onProblem);
});

const json = (body: string) => ({ body, contentType: 'application/json', payload: {} });
const form = (payload: string) => ({
  body: new URLSearchParams({ payload }).toString(),
  contentType: 'application/x-www-form-urlencoded',
  payload: {},
});

describe('signed bodies that are JSON but not an object', () => {
  it.each(ODD_JSON)('JSON body %s gets 400 and the app answers the next request', async (body) => {
    const r = await h.send(json(body));
    expect(r.status).toBe(400);
    const next = await h.send(slashCommand({ command: '/growth', text: 'help', user_id: 'U0ODD1' }));
    expect(next.status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(problems).toEqual([]);
  });

  it.each(ODD_JSON)('an interaction payload %s gets 400', async (payload) => {
    expect((await h.send(form(payload))).status).toBe(400);
    await new Promise((resolve) => setImmediate(resolve));
    expect(problems).toEqual([]);
  });

  it('unsigned, the same body is still 401', async () => {
    expect((await h.send(json('null'), { signature: null })).status).toBe(401);
    expect((await h.send(json('null'), { signature: 'v0=00' })).status).toBe(401);
  });

  it('a signed body over 10 MB gets 413 and the app answers the next request', async () => {
    const big = JSON.stringify({ type: 'event_callback', text: 'x'.repeat(10 * 1024 * 1024) });
    expect((await h.send(json(big))).status).toBe(413);
    const next = await h.send(slashCommand({ command: '/growth', text: 'help', user_id: 'U0ODD1' }));
    expect(next.status).toBe(200);
  });
});
