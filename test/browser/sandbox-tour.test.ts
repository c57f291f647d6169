import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from '../support/browser.ts';
import { type SandboxProcess, startSandbox } from '../support/sandbox-process.ts';

// The "Try this" tour in Debian's Chromium, on a fresh `npm run sandbox`: each step ticks itself
// when the visitor does it (the sandbox derives it from what happened, not from clicks on the
// list), through an ordinary week, an incident channel and its reflection, and Jonas's on-call
// week: the on-call prompt, the digest's on-call line, the retro after the shift.

let browser: Browser;
let sandbox: SandboxProcess;
let page: Page;
let dialogs: string[];
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  sandbox = await startSandbox(200_000);
  ({ page, dialogs, errors } = await watchedPage(browser));
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 200 });
const XSS = '<script>alert(1)</script> <img src=x onerror=alert(2)>';
const messages = (): Locator => page.locator('#conversation .msg');
const done = () =>
  page.locator('[data-step][data-done="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));

async function actAs(id: string, name: string): Promise<void> {
  await page.locator(`[data-person="${id}"]`).click();
  await until(() => page.locator('#acting').innerText()).toContain(name);
}

async function jump(to: 'monday' | 'thursday' | 'friday'): Promise<void> {
  const before = await page.locator('#clock-local').innerText();
  await page.locator('#clock-status').evaluate((el) => el.replaceChildren());
  await page.locator(`[data-jump="${to}"]`).click();
  await until(() => page.locator('#clock-status').innerText()).toMatch(/scheduler ticks? ran/);
  await until(() => page.locator('#clock-local').innerText()).not.toBe(before);
}

/** Fills the open modal's text inputs and first choices, and saves it. */
async function fillAndSave(text: string): Promise<void> {
  const modal = page.locator('.modal');
  await modal.waitFor();
  for (const select of await modal.locator('select').all()) {
    const first = await select.locator('option:not([disabled]):not([value=""])').first().getAttribute('value');
    if (first) await select.selectOption(first);
  }
  for (const box of await modal.locator('textarea, input[type="text"]').all()) await box.fill(text);
  for (const box of await modal.locator('input[type="number"]').all()) await box.fill('1');
  await modal.getByRole('button', { name: /Save|Submit|Send/ }).click();
  await until(() => page.locator('#overlay').isHidden()).toBe(true);
}

describe('the tour in a browser', { timeout: 300_000 }, () => {
  it('ticks each step as the visitor does it: a week, a mentor digest, an incident reflection, an on-call week', async () => {
    await page.goto(`${sandbox.url}/?as=U0JONAS`);
    await until(() => page.locator('[data-step]').count()).toBe(6);
    expect(await done()).toEqual([]);

    await jump('monday');
    await until(done).toEqual(['monday']);
    const prompt = messages()
      .filter({ has: page.getByRole('button', { name: 'Answer' }) })
      .last();
    await prompt.getByRole('button', { name: 'Answer' }).click();
    await fillAndSave('Rewrote the deploy ticket at half the length');
    await until(done).toEqual(['monday', 'answer']);

    // An incident channel: join, write (markup stays text), archive.
    await page.locator('#incident-name').fill('inc-checkout-latency');
    await page.locator('[data-incident="join"]').click();
    await until(() => page.locator('.channel-msg').count()).toBe(1);
    // Too long: the channel says its limit and keeps every character typed, as Slack would.
    const long = 'x'.repeat(4_001);
    await page.locator('#incident-text').fill(long);
    await page.locator('#incident-text').press('Enter');
    await until(() => page.locator('#banner').innerText()).toBe('A message here may be up to 4000 characters.');
    expect(await page.locator('#incident-text').inputValue()).toBe(long);
    await page.locator('#incident-text').fill(XSS);
    await page.locator('#incident-text').press('Enter');
    await until(() => page.locator('.channel-log').innerText()).toContain('<script>alert(1)</script>');
    expect(await page.locator('.channel-log script, .channel-log img').count()).toBe(0);
    await page.locator('[data-incident="archive"]').click();
    await until(() => page.locator('#incident-channel').innerText()).toContain('Archived');

    // Thursday: the others' reminders go out and skip Jonas; the reflection came on Wednesday.
    await jump('thursday');
    await until(done).toEqual(['monday', 'answer', 'reminder', 'reflection']);
    const reflection = messages().filter({ hasText: 'A few minutes to reflect' }).last();
    await reflection.getByRole('button', { name: 'Reflect' }).click();
    await fillAndSave('I believed the cache was cold; it was the load balancer');
    await until(() => messages().last().innerText()).toMatch(/reflection|Thank/i);

    // Marta's Friday: her digest is read.
    await actAs('U0MARTA', 'Marta Kowalski');
    await jump('friday');
    await until(done).toContain('digest');

    // Jonas's on-call week: the on-call prompt at 09:00, the digest's on-call line, the retro.
    await actAs('U0JONAS', 'Jonas Weber');
    await jump('monday');
    await until(done).toContain('oncall');
    await until(() => messages().last().innerText()).toMatch(/Before anything fires/);
    await jump('thursday');
    await actAs('U0MARTA', 'Marta Kowalski');
    await jump('friday');
    const digest = messages().filter({ hasText: 'Your mentees this week' }).last();
    await until(() => digest.innerText()).toMatch(/@Jonas Weber · junior[\s\S]*On call Mon \d+ \w+ 09:00/);
    await actAs('U0JONAS', 'Jonas Weber');
    await jump('monday');
    await until(() => page.locator('#conversation').innerText()).toContain('Your on-call shift is over');
    expect(await done()).toEqual(['monday', 'answer', 'reminder', 'digest', 'oncall', 'reflection']);
    await until(() => page.locator('#tour .side-title').innerText()).toMatch(/6\/6/i);
    expect(dialogs, dialogs.join('\n')).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
