import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHECKIN_MAX_CHARS } from '../../src/growth/checkin.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { checkinModal } from '../../src/outbound/views/checkin-modal.ts';
import { pauseModal } from '../../src/outbound/views/pause-modal.ts';
import { promptMessage } from '../../src/outbound/views/prompt-message.ts';
import { scheduleModal } from '../../src/outbound/views/schedule-modal.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';
import { type PageStub, startPageStub } from '../support/sandbox-stub.ts';

// The page on its own, in Chromium, against a stand-in for the sandbox server's API, with the
// app's real Block Kit views. The whole loop on the real server: test/browser/sandbox.test.ts.

const ANA = 'U0ANA';
const people = [
  { id: ANA, name: 'Ana Souza', level: 'junior', tz: 'Europe/Berlin', admin: false, joined: true, mentorOf: [] },
  {
    id: 'U0BEA',
    name: 'Bea Okafor',
    level: 'senior',
    tz: 'America/New_York',
    admin: true,
    joined: true,
    mentorOf: [ANA],
  },
  { id: 'U0NEW', name: 'Noor Haddad', level: null, tz: 'Asia/Kolkata', admin: false, joined: false, mentorOf: [] },
];
const prompt = promptMessage({
  nudgeId: '7',
  level: 'junior',
  competency: { name: 'Incident response', why: 'It *matters*.', level: 'junior' },
  promptText: 'Shadow an on-call shift.',
});

function baseState(): Record<string, unknown> {
  return {
    now: '2026-12-07T09:00:00.000Z',
    acting: ANA,
    people,
    names: Object.fromEntries(people.map((p) => [p.id, p.name])),
    dm: [
      {
        ts: '1796634000.000100',
        from: 'bot',
        user: 'UBOT',
        text: prompt.text,
        blocks: prompt.blocks,
        ephemeral: false,
        edited: true,
      },
      {
        ts: '1796634060.000200',
        from: 'user',
        user: ANA,
        text: '&lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(2)>',
        ephemeral: false,
        edited: false,
      },
      {
        ts: '1796634120.000300',
        from: 'bot',
        user: 'UBOT',
        text: 'Saved: *bold* _it_ ~no~ `a*b` <@U0BEA> :white_check_mark: <javascript:alert(3)|click me>',
        ephemeral: true,
        edited: false,
      },
      {
        ts: '1796634180.000400',
        from: 'bot',
        user: 'UBOT',
        text: 'Your export',
        ephemeral: false,
        edited: false,
        files: [{ id: 'F1', name: 'growthbot-export.json', url: '/sandbox/files/F1' }],
      },
    ],
    home: null,
    modals: [],
    jumps: {
      monday: '2026-12-14T09:00:00.000Z',
      thursday: '2026-12-10T09:00:00.000Z',
      friday: '2026-12-11T14:00:00.000Z',
    },
  };
}

let browser: Browser;
let stub: PageStub;
let page: Page;
let dialogs: string[];
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  stub = await startPageStub(baseState());
});
afterAll(async () => {
  await browser?.close();
  await stub?.close();
});
beforeEach(async () => {
  stub.state = baseState();
  stub.posted.length = 0;
  stub.reply = () => undefined;
  ({ page, dialogs, errors } = await watchedPage(browser));
  await page.goto(`${stub.url}/?as=${ANA}`);
  await page.locator('.msg').first().waitFor();
});

// The machine is shared: give the page time, fail only when it never gets there.
const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const posts = (path: string) => stub.posted.filter((p) => p.path === path).map((p) => p.body);

describe('the page in a browser', { timeout: 60_000 }, () => {
  it('shows people with their badges, and the DM as Slack would', async () => {
    await expect(page.locator('[data-person="U0BEA"]').innerText()).resolves.toMatch(/Bea Okafor\s*admin\s*mentor/);
    await expect(page.locator('[data-person="U0NEW"]').innerText()).resolves.toContain('not joined');
    const first = page.locator('.msg').nth(0);
    await expect(first.locator('.header').innerText()).resolves.toBe('Incident response · junior');
    await expect(first.locator('.edited').count()).resolves.toBe(1);
    await expect(first.locator('button').allInnerTexts()).resolves.toEqual(['Answer', 'Skip this week', 'Pause…']);
    const third = page.locator('.msg').nth(2);
    await expect(third.innerText()).resolves.toContain('Only visible to you');
    await expect(third.locator('b').innerText()).resolves.toBe('bold');
    await expect(third.locator('code').innerText()).resolves.toBe('a*b');
    await expect(third.locator('.mention').innerText()).resolves.toBe('@Bea Okafor');
    await expect(third.locator('a').count()).resolves.toBe(0);
    await expect(page.locator('a.file').getAttribute('href')).resolves.toBe('/sandbox/files/F1');
  });

  it('shows what a person typed as text and runs none of it', async () => {
    const typed = page.locator('.msg').nth(1).locator('.msg-body');
    await expect(typed.innerText()).resolves.toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>');
    await expect(page.locator('.msg-body script, .msg-body img').count()).resolves.toBe(0);
    await page.locator('#message').fill('/checkin <script>alert(4)</script> & @Bea Okafor');
    await page.locator('#message').press('Enter');
    await until(() => posts('command')).toEqual([
      { as: ANA, text: '/checkin &lt;script&gt;alert(4)&lt;/script&gt; &amp; <@U0BEA|Bea Okafor>' },
    ]);
    await page.locator('#message').fill('hello there');
    await page.locator('#send').click();
    await until(() => posts('message')).toEqual([{ as: ANA, text: 'hello there' }]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('sends a button click with its message, and asks first when the button says so', async () => {
    await page.locator('.msg').nth(0).getByRole('button', { name: 'Answer' }).click();
    await until(() => posts('action')).toEqual([
      {
        as: ANA,
        container: { type: 'message', ts: '1796634000.000100' },
        action_id: IDS.nudge.answer,
        block_id: 'nudge_7',
        value: '7',
      },
    ]);
    stub.change({
      dm: [
        {
          ts: '1796634000.000900',
          from: 'bot',
          user: 'UBOT',
          text: 'x',
          ephemeral: false,
          edited: false,
          blocks: [
            {
              type: 'actions',
              block_id: 'b',
              elements: [
                {
                  type: 'button',
                  action_id: 'del',
                  value: '1',
                  text: { type: 'plain_text', text: 'Delete' },
                  style: 'danger',
                  confirm: {
                    title: { type: 'plain_text', text: 'Delete this?' },
                    text: { type: 'plain_text', text: 'Gone for good.' },
                    confirm: { type: 'plain_text', text: 'Delete' },
                    deny: { type: 'plain_text', text: 'Keep it' },
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.confirm').getByRole('button', { name: 'Delete' }).click();
    await until(() => posts('action').filter((a) => a.action_id === 'del')).toHaveLength(1);
    expect(dialogs).toEqual([]);
  });

  it('shows new messages without a reload, following them down a long DM', async () => {
    const more = Array.from({ length: 30 }, (_, i) => ({
      ts: `${1796634300 + i * 60}.000500`,
      from: 'bot',
      user: 'UBOT',
      text: `Message ${i}`,
      ephemeral: false,
      edited: false,
    }));
    const dm = [
      ...(stub.state.dm as unknown[]),
      ...more,
      { ts: '1796640000.000500', from: 'bot', user: 'UBOT', text: 'A gentle nudge', ephemeral: false, edited: false },
    ];
    stub.change({ dm });
    const last = page.getByText('A gentle nudge');
    await last.waitFor();
    await until(async () => ((await last.boundingBox())?.y ?? 9999) < 800).toBe(true);
    const composer = (await page.locator('#composer').boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(800);
  });

  it('moves the clock: jumps, and any instant read in the acting person’s zone', async () => {
    await expect(page.locator('#clock-local').innerText()).resolves.toBe('Mon 7 Dec, 10:00');
    await expect(page.locator('#clock-utc').innerText()).resolves.toBe('Europe/Berlin · 09:00 UTC');
    // The clock takes a moment to move: what is typed meanwhile in the jump field stays there.
    stub.reply = async (p) =>
      p.path === 'clock'
        ? (await sleep(400),
          {
            ok: true,
            now: '2026-12-11T14:00:00.000Z',
            ticks: 3,
            ran: [{ at: '2026-12-11T14:00:00.000Z', kind: 'mentor digest', to: ['Bea Okafor'] }],
          })
        : undefined;
    await page.locator('[data-jump="friday"]').click();
    await page.locator('#jump-at').fill('2026-12-24T18:30');
    await until(() => page.locator('#clock-status').innerText()).toBe(
      '3 scheduler ticks ran; sent:\nFri 11, 15:00 mentor digest → Bea Okafor',
    );
    await page.getByRole('button', { name: 'Go' }).click();
    await until(() => posts('clock')).toEqual([
      { as: ANA, to: 'friday' },
      { as: ANA, to: '2026-12-24T17:30:00.000Z' },
    ]);
  });

  it('moves the clock one jump at a time: its buttons wait while it moves, and a refusal is said', async () => {
    let done: (answer: Record<string, unknown>) => void = () => undefined;
    stub.reply = (p) =>
      p.path === 'clock' ? new Promise<Record<string, unknown>>((resolve) => (done = resolve)) : undefined;
    const jumps = page.locator('#jumps button');
    await expect(jumps.count()).resolves.toBe(3);
    await page.locator('[data-jump="monday"]').click();
    await until(() => posts('clock').length).toBe(1);
    await until(() => jumps.evaluateAll((els) => els.map((b) => b.hasAttribute('disabled')))).toEqual([
      true,
      true,
      true,
    ]);
    expect(await page.locator('#jump-go').isDisabled()).toBe(true);
    // Redrawn meanwhile (a change from another tab), they still wait.
    stub.change({ now: '2026-12-07T09:05:00.000Z' });
    await until(() => page.locator('#clock-utc').innerText()).toBe('Europe/Berlin · 09:05 UTC');
    expect(await jumps.evaluateAll((els) => els.map((b) => b.hasAttribute('disabled')))).toEqual([true, true, true]);
    done({ ok: true, now: '2026-12-14T09:00:00.000Z', ticks: 1, ran: [] });
    await until(() => page.locator('#jump-go').isDisabled()).toBe(false);
    expect(await jumps.evaluateAll((els) => els.map((b) => b.hasAttribute('disabled')))).toEqual([false, false, false]);
    // Another tab's jump still running: the sandbox refuses this one, and the page says why.
    stub.reply = (p) =>
      p.path === 'clock'
        ? { ok: false, error: 'A jump is already running: wait for it to finish, then jump again.' }
        : undefined;
    await page.locator('[data-jump="friday"]').click();
    await until(() => page.locator('#banner').innerText()).toBe(
      'A jump is already running: wait for it to finish, then jump again.',
    );
    expect(posts('clock')).toHaveLength(2);
    // The next jump goes through: what the refusal said is gone.
    stub.reply = () => undefined;
    await page.locator('[data-jump="monday"]').click();
    await until(() => posts('clock').length).toBe(3);
    await until(() => page.locator('#banner').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('acts as someone else and opens their Home tab', async () => {
    await page.locator('[data-person="U0BEA"]').click();
    await until(() => page.locator('#acting').innerText()).toContain('Bea Okafor');
    stub.state.home = {
      id: 'VH',
      view: {
        type: 'home',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'streak *3* wks' } },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: IDS.home.checkin,
                value: 'home',
                text: { type: 'plain_text', text: 'Check in' },
              },
            ],
          },
        ],
      },
    };
    await page.locator('[data-tab="home"]').click();
    await until(() => posts('home')).toEqual([{ as: 'U0BEA' }]);
    await page.getByText('streak 3 wks').waitFor();
    await page.getByRole('button', { name: 'Check in' }).click();
    await until(() => posts('action')).toEqual([
      { as: 'U0BEA', container: { type: 'home' }, action_id: IDS.home.checkin, value: 'home' },
    ]);
  });

  it('opens modals with every input, sends Slack’s state values, shows inline errors, goes back and closes', async () => {
    const rubrics = await loadRubrics('rubrics');
    const competencies = [...rubrics.byId.values()].filter((c) => c.level === 'junior').slice(0, 3);
    const checkin = { id: 'V1', view: checkinModal({ competencies, prompt: 'Shadow an on-call shift.' }) };
    stub.change({ modals: [checkin] });
    const modal = page.locator('.modal');
    await expect(modal.locator('.modal-title').innerText()).resolves.toBe('Weekly check-in');
    stub.reply = (p) =>
      p.path === 'submit'
        ? { ok: false, errors: { [IDS.checkin.textBlock]: 'Write at least a few words.' } }
        : undefined;
    await modal.getByRole('button', { name: 'Save' }).click();
    await until(() => modal.locator(`[data-error-for="${IDS.checkin.textBlock}"]`).innerText()).toBe(
      'Write at least a few words.',
    );
    const empty = posts('submit')[0]!.values as Record<string, Record<string, Record<string, unknown>>>;
    expect(empty[IDS.checkin.textBlock]![IDS.checkin.textAction]).toEqual({ type: 'plain_text_input', value: null });
    expect(empty[IDS.checkin.competencyBlock]![IDS.checkin.competencyAction]).toEqual({
      type: 'static_select',
      selected_option: null,
    });

    // Over max_length: nothing is sent, the limit is said, and every character typed stays.
    const long = `${'x'.repeat(CHECKIN_MAX_CHARS)}yz`;
    await modal.locator('textarea').fill(long);
    await modal.getByRole('button', { name: 'Save' }).click();
    await until(() => modal.locator(`[data-error-for="${IDS.checkin.textBlock}"]`).innerText()).toBe(
      `Must be ${CHECKIN_MAX_CHARS} characters or fewer: this has ${CHECKIN_MAX_CHARS + 2}.`,
    );
    expect(await modal.locator('textarea').inputValue()).toBe(long);
    expect(posts('submit')).toHaveLength(1);

    await modal.locator('select').selectOption(competencies[1]!.id);
    await modal.locator('textarea').fill('Shadowed <b>Bea</b> on call');
    await modal.getByText('3 · ').click();
    await modal.getByText("I'd like help with this").click();
    await modal.locator('input[type="url"]').fill('https://example.com/pr/1');
    stub.reply = () => undefined;
    await modal.getByRole('button', { name: 'Save' }).click();
    await until(() => posts('submit').length).toBe(2);
    const { values, view_id: viewId } = posts('submit')[1] as {
      values: Record<string, Record<string, Record<string, unknown>>>;
      view_id: string;
    };
    const c = IDS.checkin;
    expect(viewId).toBe('V1');
    expect(values[c.competencyBlock]![c.competencyAction]).toMatchObject({
      type: 'static_select',
      selected_option: { value: competencies[1]!.id },
    });
    expect(values[c.textBlock]![c.textAction]).toEqual({
      type: 'plain_text_input',
      value: 'Shadowed <b>Bea</b> on call',
    });
    expect(values[c.ratingBlock]![c.ratingAction]).toMatchObject({
      type: 'radio_buttons',
      selected_option: { value: '3' },
    });
    expect(values[c.optionsBlock]![c.optionsAction]).toMatchObject({
      type: 'checkboxes',
      selected_options: [{ value: IDS.options.needsHelp }],
    });
    expect(values[c.evidenceBlock]![c.evidenceAction]).toEqual({
      type: 'url_text_input',
      value: 'https://example.com/pr/1',
    });

    // A pushed view on top: only it is shown, with Back; pickers report Slack's shapes.
    stub.change({
      modals: [
        checkin,
        { id: 'V2', view: pauseModal() },
        { id: 'V3', view: scheduleModal({ weekday: 1, minute: 600 }, 'Europe/Berlin') },
      ],
    });
    await until(() => modal.locator('.modal-title').innerText()).toBe('Prompt schedule');
    expect(await page.locator('.modal').count()).toBe(1);
    await modal.locator('input[type="time"]').fill('09:30');
    await modal.getByRole('button', { name: 'Save' }).click();
    await until(() => posts('submit').length).toBe(3);
    expect(posts('submit')[2]!.values).toMatchObject({
      [IDS.schedule.timeBlock]: { [IDS.schedule.timeAction]: { type: 'timepicker', selected_time: '09:30' } },
    });
    await modal.getByRole('button', { name: 'Back', exact: true }).click();
    await until(() => posts('close')).toEqual([{ as: ANA, view_id: 'V3' }]);
    stub.change({ modals: [checkin, { id: 'V2', view: pauseModal() }] });
    await modal.locator('input[type="date"]').fill('2027-01-10');
    await modal.getByRole('button', { name: 'Pause' }).click();
    await until(() => posts('submit').length).toBe(4);
    expect(posts('submit')[3]!.values).toMatchObject({
      [IDS.pause.untilBlock]: { [IDS.pause.untilAction]: { type: 'datepicker', selected_date: '2027-01-10' } },
    });
    await modal.getByTitle('Close').click();
    await until(() => posts('close').at(-1)).toEqual({ as: ANA, view_id: 'V1' });
    stub.change({ modals: [] });
    await until(() => page.locator('#overlay').isHidden()).toBe(true);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
