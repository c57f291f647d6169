import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; nothing here downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts headless Chromium, or fails with one sentence saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--lang=en-GB',
      ],
    });
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new Error(
      `Chromium could not start from ${CHROMIUM} (${why}): install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`,
    );
  }
}

/** A page that records every alert/confirm/prompt, script or console error and 4xx/5xx answer, so a test can assert none happened. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  // Only loopback: the page must work offline.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
    errors.push(`request off loopback: ${route.request().url()}`);
    void route.abort();
  });
  return { page, dialogs, errors };
}
