import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/sandbox.ts';

// The page's port opens first (a port in use is said at once), before the demo is made: a page
// opened meanwhile (a reload, a browser restoring its tabs) must get an answer, not hang.
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

it('answers a page opened while it starts with a page that reloads itself, then serves the sandbox', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-starting-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const starting = startSandbox({ port, dir });
  const answers: number[] = [];
  let body = '';
  try {
    // Every request is answered within 2 s, whatever the sandbox is doing: first "starting", then the page.
    for (let ready = false; !ready; ) {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch((e: Error) =>
        e.name === 'TimeoutError' ? Promise.reject(new Error('a request during start-up was never answered')) : null,
      );
      if (!res) continue; // not listening yet
      answers.push(res.status);
      body = await res.text();
      if (res.status === 503) {
        expect(res.headers.get('retry-after')).toBe('1');
        expect(body).toContain('The sandbox is starting; this page reloads by itself.');
        await new Promise((r) => setTimeout(r, 50));
      } else ready = true;
    }
    expect(answers[0]).toBe(503);
    expect(answers.at(-1)).toBe(200);
    expect(body).toContain('<title>');
    expect(body).not.toContain('The sandbox is starting');
  } finally {
    await (await starting).close();
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
