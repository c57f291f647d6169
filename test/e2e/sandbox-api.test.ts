import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/sandbox.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';

// The sandbox's page API at its edges, in this process: what a read changes (nothing), who a
// page acts as, and the answers a visitor can act on.
type State = { acting: string; dm: { from: string; text: string }[] };

let dir: string;
let sandbox: Sandbox;
/** What the app heard of each kind (`app_home_opened`, …) since the test began. */
const heard: string[] = [];
const get = async (as: string): Promise<State> =>
  (await (await fetch(`${sandbox.url}/sandbox/state?as=${as}`)).json()) as State;
const post = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${sandbox.url}/sandbox/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: sandbox.url },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-api-'));
  sandbox = await startSandbox({ port: 0, dir });
  const send = sandbox.send;
  sandbox.send = (req, user) => {
    const event = (req.payload as { event?: { type?: string } }).event;
    if (event?.type) heard.push(event.type);
    return send(req, user);
  };
}, 240_000);
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the sandbox page API', () => {
  it('reading state changes nothing: two pages reading as two people publish no Home and send no change notice', async () => {
    // Choosing someone does open their Home (the app hears app_home_opened).
    expect((await post('act', { as: 'U0MARTA' })).body).toEqual({ ok: true, acting: 'U0MARTA' });
    await expect.poll(() => heard.filter((e) => e === 'app_home_opened').length).toBe(1);
    await expect.poll(() => sandbox.standIn.workspace.homes.has('U0MARTA')).toBe(true);
    const opened = heard.length;
    const version = sandbox.standIn.workspace.version;
    for (let i = 0; i < 5; i++) {
      expect((await get('U0JONAS')).acting).toBe('U0JONAS');
      expect((await get('U0MARTA')).acting).toBe('U0MARTA');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.slice(opened)).toEqual([]);
    expect(sandbox.standIn.workspace.version).toBe(version);
    expect(sandbox.acting).toBe('U0MARTA');
  });
});
