import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from '../support/browser.ts';
import { type SandboxProcess, startSandbox } from '../support/sandbox-process.ts';

// The page in more than one tab, on a fresh `npm run sandbox` in Debian's Chromium: two tabs
// acting as two people leave each other alone.

let browser: Browser;
let sandbox: SandboxProcess;
const opened: { page: Page; errors: string[]; dialogs: string[] }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  sandbox = await startSandbox(200_000);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 200 });

/** A tab of its own (its own storage), opened at `path`, counting its state loads. */
async function tab(path: string): Promise<{ page: Page; errors: string[]; loads: () => number }> {
  const watched = await watchedPage(browser);
  opened.push(watched);
  let loads = 0;
  watched.page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/sandbox/state') loads++;
  });
  await watched.page.goto(`${sandbox.url}${path}`);
  return { page: watched.page, errors: watched.errors, loads: () => loads };
}

describe('the sandbox in two tabs', { timeout: 120_000 }, () => {
  it('two tabs acting as two people settle: no state loads while nobody does anything', async () => {
    const jonas = await tab('/?as=U0JONAS');
    await until(() => jonas.page.locator('#acting').innerText()).toContain('Jonas Weber');
    const marta = await tab('/?as=U0MARTA');
    await until(() => marta.page.locator('#acting').innerText()).toContain('Marta Kowalski');
    // Each tab has loaded at least once; the Home published for Marta's first load may still
    // bring one more load each. Then nobody does anything for two seconds.
    await sleep(1_500);
    const before = jonas.loads() + marta.loads();
    await sleep(2_000);
    expect(jonas.loads() + marta.loads() - before).toBeLessThanOrEqual(1);
    // Each still shows its own person.
    expect(await jonas.page.locator('#acting').innerText()).toContain('Jonas Weber');
    expect(await marta.page.locator('#acting').innerText()).toContain('Marta Kowalski');
    for (const t of [jonas, marta]) expect(t.errors, t.errors.join('\n')).toEqual([]);
  });

  it('a link naming no one in this sandbox opens as its default person, says so, and asks for nothing that fails', async () => {
    // The sandbox last acts as Marta: the default is still Jonas.
    const marta = await tab('/?as=U0MARTA');
    await until(() => marta.page.locator('#acting').innerText()).toContain('Marta Kowalski');
    const nope = await tab('/?as=U0NOPE');
    await until(() => nope.page.locator('#acting').innerText()).toContain('Jonas Weber');
    expect(await nope.page.locator('#banner').innerText()).toBe(
      'No one called U0NOPE is in this sandbox: you are acting as Jonas Weber.',
    );
    expect(new URL(nope.page.url()).search).toBe('?as=U0JONAS');
    await nope.page.locator('[data-person="U0PRIYA"]').click();
    await until(() => nope.page.locator('#acting').innerText()).toContain('Priya Raman');
    expect(await nope.page.locator('#banner').isHidden()).toBe(true);
    expect(nope.errors, nope.errors.join('\n')).toEqual([]);
  });
});
