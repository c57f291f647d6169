import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { useSandbox } from '../support/sandbox-client.ts';

// A sandbox restarted on the same folder keeps what it saved (files, Home views, messages) under
// their ids; what it makes after the restart must never take one of those ids, and its Slack
// stand-in takes calls only with a token of this start, which only the app was handed.
type Msg = { ts: string; text: string; files?: { id: string; name: string; url: string }[] };
type State = { dm: Msg[]; home: { id: string } | null };

let sandbox: Sandbox;
const page = useSandbox('sandbox-restart-', (s) => (sandbox = s));
const state = (as: string) => page.state<State>(as);
const post = (what: string, body: Record<string, unknown>) => page.post(what, body);
/** `/growth export` from the page, and the two files it leaves in the person's DM. */
async function exportAs(as: string): Promise<{ id: string; url: string }[]> {
  const before = (await state(as)).dm.filter((m) => m.files).length;
  expect(await post('command', { as, text: '/growth export' })).toEqual({ ok: true });
  let files: Msg['files'] = [];
  await expect
    .poll(
      async () => {
        files = (await state(as)).dm.filter((m) => m.files).at(before)?.files ?? [];
        return files.length;
      },
      { timeout: 20_000 },
    )
    .toBe(2);
  return files;
}
const download = async (url: string): Promise<string> => (await fetch(`${sandbox.url}${url}`)).text();
/** What the stand-in answers auth.test with `token`. */
const authTest = async (token: string): Promise<unknown> =>
  (
    (await (
      await fetch(`${sandbox.standIn.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    ).json()) as { ok: boolean; error?: string }
  ).error ?? 'ok';

describe('a sandbox restarted on the same folder', () => {
  it('serves the export made before the restart at its old link after another person exports; new ids and messages follow the old', async () => {
    const jonas = await exportAs('U0JONAS');
    expect(await download(jonas[0]!.url)).toContain('"user_id": "U0JONAS"');
    // Acting as Jonas opens his Home tab: the app publishes it (a view id) soon after.
    expect(await post('act', { as: 'U0JONAS' })).toMatchObject({ ok: true });
    let homeBefore = '';
    await expect
      .poll(async () => (homeBefore = (await state('U0JONAS')).home?.id ?? ''), { timeout: 20_000 })
      .not.toBe('');
    const tokenBefore = sandbox.deps.config.slack.botToken;

    await page.restart();

    // Jonas writes first, at the clock the sandbox saved: his message comes after all of his DM.
    const kept = (await state('U0JONAS')).dm.map((m) => m.ts);
    expect(await post('message', { as: 'U0JONAS', text: 'back after the restart' })).toMatchObject({ ok: true });
    const mine = (await state('U0JONAS')).dm.find((m) => m.text === 'back after the restart')!;
    expect(kept.length).toBeGreaterThan(0);
    const micros = (ts: string): bigint => BigInt(ts.replace('.', ''));
    for (const ts of kept) expect([ts, micros(mine.ts) > micros(ts)]).toEqual([ts, true]);

    const diego = await exportAs('U0DIEGO');
    expect(diego.map((f) => f.id)).not.toContain(jonas[0]!.id);
    expect(diego.map((f) => f.id)).not.toContain(jonas[1]!.id);
    expect(await download(diego[0]!.url)).toContain('"user_id": "U0DIEGO"');
    // Jonas's link from before the restart still serves Jonas's export, not Diego's.
    const again = await download(jonas[0]!.url);
    expect(again).toContain('"user_id": "U0JONAS"');
    expect(again).not.toContain('U0DIEGO');
    // Home views made after the restart (Diego's) take ids of their own too.
    expect((await state('U0JONAS')).home?.id).toBe(homeBefore);
    expect(await post('act', { as: 'U0DIEGO' })).toMatchObject({ ok: true });
    await expect.poll(async () => (await state('U0DIEGO')).home?.id ?? '', { timeout: 20_000 }).not.toBe('');
    const homes = [...sandbox.standIn.workspace.homes.values()].map((h) => h.id);
    expect(new Set(homes).size).toBe(homes.length);

    // The stand-in's token is new with each start, and the one before it is refused.
    const token = sandbox.deps.config.slack.botToken;
    expect(token).toMatch(/^xoxb-sandbox-[0-9a-f]{48}$/);
    expect(token).not.toBe(tokenBefore);
    expect(await authTest(token)).toBe('ok');
    expect(await authTest(tokenBefore)).toBe('invalid_auth');
    expect(await authTest('xoxb-sandbox-placeholder-not-a-slack-token')).toBe('invalid_auth');
  }, 240_000);
});
