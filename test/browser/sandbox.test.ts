import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from '../support/browser.ts';
import { type SandboxProcess, startSandbox } from '../support/sandbox-process.ts';

// The whole weekly loop as a visitor does it: `npm run sandbox` (a fresh one, on a free port),
// driven in Debian's Chromium. Its screenshot goes to a temporary folder; `npm run screenshot`
// runs it with SANDBOX_SCREENSHOT=docs/sandbox.png to refresh the README's picture on purpose.

interface Person {
  id: string;
  name: string;
  level: string | null;
  joined: boolean;
  mentorOf: string[];
}

let browser: Browser;
let sandbox: SandboxProcess;
let page: Page;
let dialogs: string[];
let errors: string[];
let shots: string;

beforeAll(async () => {
  shots = await mkdtemp(join(tmpdir(), 'growthbot-shots-'));
  browser = await launchChromium();
  sandbox = await startSandbox(200_000);
  ({ page, dialogs, errors } = await watchedPage(browser));
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await rm(shots, { recursive: true, force: true });
});

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 200 });
const ANSWER = 'Shadowed the on-call shift and traced a 502 to the load balancer health check';
const XSS = '<script>alert(1)</script> <img src=x onerror=alert(2)>';

async function actAs(p: Person): Promise<void> {
  await page.locator(`[data-person="${p.id}"]`).click();
  await until(() => page.locator('#acting').innerText()).toContain(p.name);
  await page.locator('[data-tab="messages"]').click();
}

async function jump(to: 'monday' | 'thursday' | 'friday'): Promise<void> {
  const before = await page.locator('#clock-utc').innerText();
  await page.locator(`[data-jump="${to}"]`).click();
  // The clock moves through each tick on the way; the status line comes when the jump is done.
  await until(() => page.locator('#clock-status').innerText()).toMatch(/scheduler ticks? ran/);
  expect(await page.locator('#clock-utc').innerText()).not.toBe(before);
}

const messages = (): Locator => page.locator('#conversation .msg');
const lastMessage = (): Locator => messages().last();

describe('the sandbox in a browser', { timeout: 180_000 }, () => {
  it('runs the weekly loop: prompt, answer, digest, Home, a check-in shown as text, export', async () => {
    await page.goto(sandbox.url);
    await page.locator('[data-person]').first().waitFor();
    const state = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()) as { people: Person[] };
    const mentor = state.people.find((p) => p.joined && p.mentorOf.length > 0)!;
    const junior = state.people.find((p) => p.joined && p.level === 'junior' && mentor.mentorOf.includes(p.id))!;
    expect(junior, 'the seed has a junior with a mentor').toBeTruthy();

    // The junior gets Monday's prompt and answers it in the form.
    await actAs(junior);
    await jump('monday');
    // The clock's status says what the ticks in between sent, and to whom.
    await until(() => page.locator('#clock-status').innerText()).toMatch(
      new RegExp(`weekly prompt → [^\\n]*${junior.name}`),
    );
    const prompt = messages()
      .filter({ has: page.getByRole('button', { name: 'Answer' }) })
      .last();
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Answer' }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    await modal.getByRole('button', { name: 'Save' }).click();
    await until(() => modal.locator('[data-error-for="text"]').innerText()).toContain('Write at least a few words');
    const competency = modal.locator('select').first();
    const firstChoice = await competency.locator('option:not([disabled])').first().getAttribute('value');
    await competency.selectOption(firstChoice!);
    await modal.locator('textarea').fill(ANSWER);
    await modal.getByRole('button', { name: 'Save' }).click();
    await until(() => page.locator('#overlay').isHidden()).toBe(true);
    await until(() => page.locator('#conversation').innerText()).toContain('Answered. Thank you!');
    await until(() => lastMessage().innerText()).toMatch(/Saved your check-in on/);
    await page.screenshot({ path: process.env.SANDBOX_SCREENSHOT ?? join(shots, 'sandbox.png') });
    // The bot's avatar is a picture (growthbot.svg), not an emoji a font may lack.
    // (Polled: the DM is redrawn when anything changes, and a detached node has no style.)
    const avatarImage = () =>
      page
        .locator('#conversation .avatar.bot')
        .first()
        .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundImage);
    await until(avatarImage).toContain('/page/growthbot.svg');
    expect(await page.locator('#conversation .avatar.bot').first().innerText()).toBe('');

    // Their mentor's Friday digest quotes the answer; Home shows the streak.
    await actAs(mentor);
    await jump('friday');
    const digest = messages().filter({ hasText: 'Your mentees this week' }).last();
    await until(() => digest.locator('blockquote').allInnerTexts()).toContainEqual(ANSWER);
    await page.locator('[data-tab="home"]').click();
    const home = page.locator('.home-view');
    await until(() => home.innerText()).toMatch(new RegExp(`@${junior.name}.*checked in this week · streak \\d+ wk`));

    // A check-in with markup is shown as text, and runs nothing.
    await actAs(junior);
    await page.locator('#message').fill(`/checkin ${XSS}`);
    await page.locator('#message').press('Enter');
    // (The page sends the text escaped, as Slack does; the words are what matter here, not how
    // many times the app escaped them again.)
    await until(() => lastMessage().innerText()).toMatch(
      /Saved your check-in[\s\S]*alert\(1\)[\s\S]*onerror=alert\(2\)/,
    );
    expect(await lastMessage().innerText()).toContain('Only visible to you');
    expect(await page.locator('#conversation script, #conversation img').count()).toBe(0);

    // The export arrives as files in the DM; the download holds the check-in.
    await page.locator('#message').fill('/growth export');
    await page.locator('#message').press('Enter');
    const file = page.locator('a.file', { hasText: '.json' }).last();
    await file.waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved).toContain(ANSWER);
    expect(dialogs, dialogs.join('\n')).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('offers people by name after @ and sends the mention as Slack does: a mentor’s summary of her mentee', async () => {
    await page.goto(`${sandbox.url}/?as=U0MARTA`);
    await until(() => page.locator('#acting').innerText()).toContain('Marta Kowalski');
    const box = page.locator('#message');
    await box.click();
    await box.pressSequentially('/growth summary @pri');
    const picker = page.locator('#mention-picker');
    await until(() => picker.locator('[data-mention]').allInnerTexts()).toEqual(['Priya Raman']);
    await box.press('Enter');
    await until(() => box.inputValue()).toBe('/growth summary @Priya Raman ');
    expect(await picker.isHidden()).toBe(true);
    const before = await messages().count();
    await box.press('Enter');
    await until(() => messages().count()).toBeGreaterThan(before);
    const reply = await lastMessage().innerText();
    expect(reply).toContain('Priya Raman');
    expect(reply).not.toMatch(/usage|not a member|who is that/i);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('a page on another origin cannot act in the sandbox: its posts are refused and nothing is stored', async () => {
    const body = JSON.stringify({ as: 'U0KWAME', text: '/checkin written by a foreign page' });
    const foreign = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>visiting</title><script>
        const body = ${JSON.stringify(body)};
        Promise.allSettled([
          fetch('${sandbox.url}/sandbox/command', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }),
          fetch('${sandbox.url}/sandbox/command', { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
        ]).then(() => { document.title = 'done'; });
      </script>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const context = await browser.newContext();
    try {
      const visitor = await context.newPage();
      const answered: number[] = [];
      visitor.on('response', (r) => {
        if (r.url().startsWith(sandbox.url)) answered.push(r.status());
      });
      await visitor.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      await until(() => visitor.title()).toBe('done');
      // The simple (no-cors, text/plain) post reached the sandbox and was refused.
      expect(answered).toContain(403);
    } finally {
      await context.close();
      await new Promise((resolve) => foreign.close(resolve));
    }
    const state = (await (await fetch(`${sandbox.url}/sandbox/state?as=U0KWAME`)).json()) as { dm: { text: string }[] };
    expect(state.dm.length).toBeGreaterThan(0);
    expect(state.dm.map((m) => m.text).join('\n')).not.toContain('written by a foreign page');
  });
});
