import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDS } from '../../src/outbound/ids.ts';
import { startSandbox } from '../../src/sandbox/sandbox.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { useSandbox } from '../support/sandbox-client.ts';
import { shownTexts } from '../support/shown.ts';

// The sandbox walked through its HTTP API, as the page drives it: the real app, the embedded
// database and the Slack stand-in, in this process, on a port of its own.
type Block = {
  type: string;
  block_id?: string;
  optional?: boolean;
  text?: { text: string };
  element?: { type: string; action_id: string; options?: { value: string; text: { text: string } }[] };
  elements?: { action_id?: string; value?: string }[];
};
type Msg = { ts: string; from: string; text: string; blocks?: Block[]; edited: boolean; ephemeral: boolean };
type State = {
  now: string;
  acting: string;
  home: { view: { blocks: Block[] } } | null;
  dm: Msg[];
  modals: { id: string; view: { blocks: Block[] } }[];
  jumps: Record<string, string>;
  people: { id: string; joined: boolean }[];
};

let sandbox: Sandbox;
const page = useSandbox('sandbox-', (s) => (sandbox = s));
const get = (as: string) => page.state<State>(as);
const post = (path: string, body: unknown) => page.post(path, body);

/** view.state.values for a modal's inputs: `text` in every text box, the first option in every required select. */
function fill(blocks: Block[], text: string | null): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const b of blocks.filter((x) => x.type === 'input' && x.element)) {
    const el = b.element!;
    const first = el.options?.[0];
    values[b.block_id!] = {
      [el.action_id]: el.type.endsWith('_input')
        ? { type: el.type, value: el.type === 'plain_text_input' ? text : null }
        : el.type === 'checkboxes'
          ? { type: el.type, selected_options: [] }
          : {
              type: el.type,
              selected_option: text !== null && first && !b.optional ? { value: first.value, text: first.text } : null,
            },
    };
  }
  return values;
}

describe('npm run sandbox', () => {
  it('seeds history as it would have happened: each prompt at its person\u2019s Monday 10:00, answered ones without buttons', async () => {
    const zones = { U0JONAS: 'Europe/Berlin', U0PRIYA: 'Asia/Kolkata', U0KWAME: 'America/Los_Angeles' };
    for (const [who, tz] of Object.entries(zones)) {
      const prompts = (await get(who)).dm.filter(
        (m) => m.from === 'bot' && /^(Your growth prompt|Answered|Skipped)/.test(m.text),
      );
      expect(prompts).toHaveLength(3);
      for (const m of prompts) {
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: tz,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(Number(m.ts.split('.')[0]) * 1000));
        expect(local, `${who}: ${m.text.slice(0, 40)}`).toBe('Mon 10:00');
        const hasButtons = (m.blocks ?? []).some((b) => b.type === 'actions');
        expect(hasButtons, `${who}: ${m.text.slice(0, 40)}`).toBe(m.text.startsWith('Your growth prompt'));
      }
    }
  });

  it('files each seeded check-in under the competency its text is about, so the digest agrees', async () => {
    const rows = await sandbox.deps.db.selectFrom('checkins').select(['user_id', 'text', 'competency_id']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const r of rows) expect(sandbox.deps.rubrics.byId.has(r.competency_id!), r.competency_id!).toBe(true);
    const about = (words: RegExp) => rows.find((r) => words.test(r.text))?.competency_id;
    expect(about(/capacity plan/)).toBe('capacity-and-cost');
    expect(about(/SLO/)).toBe('slo-thinking');
    expect(about(/Grafana/)).toBe('observability');
    expect(about(/runbook/)).toBe('incident-response');
    // Marta's mentor's digest counts her capacity review where it belongs.
    const digest = (await get('U0KWAME')).dm.filter((m) => /mentees this week/i.test(m.text)).at(-1)!;
    const marta = JSON.stringify(digest.blocks).split('<@U0MARTA>')[1]!;
    expect(marta).toContain('Capacity planning and cost · 1 this quarter · rating 4');
    expect(marta).not.toContain('*Capacity planning and cost*: not practised yet');
  });

  it('seeds what a mentor does from Slack: a reply, kudos, an agreed focus, an open help request, a 1:1 with its agenda', async () => {
    const home = async (as: string) => {
      expect(await post('home', { as })).toEqual({ ok: true });
      const st = await get(as);
      return { dm: st.dm.map((m) => m.text).join('\n'), home: shownTexts(st.home?.view).join('\n') };
    };
    const jonas = await home('U0JONAS');
    expect(jonas.dm).toContain('From <@U0MARTA>: Your incident timeline was clear and calm.');
    expect(jonas.dm).toContain(':clap: <@U0MARTA> gave you kudos for your check-in of');
    expect(jonas.home).toContain('*From your mentor*');
    expect(jonas.home).toMatch(/:clap: @U0MARTA gave kudos on \d{4}-\d\d-\d\d/);
    expect(jonas.home).toMatch(
      /\*Focus \d{4}-Q\d\* \(agreed with your mentor\)\n:dart: Incident response fundamentals/,
    );
    expect(jonas.home).toMatch(/\*Your next 1:1 with @U0MARTA: Friday \d+ \w+ at 12:00\* \(your time\)/);
    expect(jonas.home).toContain('@U0MARTA: Plan how you lead the first ten minutes of the next incident.');
    expect(jonas.home).toContain('Read the paging runbook end to end and fixed two dead links.');
    const marta = await home('U0MARTA');
    expect(marta.home).toContain('*Open help requests* (1)');
    expect(marta.home).toContain('got stuck on keep-alive timeouts');
    expect(marta.home).toMatch(/•@U0JONAS · Fri \d+ \w+ 11:00 · .*@U0MARTA added “Plan how you lead/);
    expect(marta.home).toContain('@U0JONAS added a check-in on Incident response fundamentals');
  });

  it('walks the weekly loop: prompt, answer form with inline errors, answered prompt, the mentor\u2019s digest quotes it', async () => {
    const before = await get('U0JONAS');
    expect(before.people.filter((p) => p.joined)).toHaveLength(6);
    const seeded = before.dm.length;
    const jump = await post('clock', { as: 'U0JONAS', to: 'monday' });
    expect(jump).toMatchObject({ ok: true, now: before.jumps.monday });
    const after = await get('U0JONAS');
    const prompt = after.dm.at(-1)!;
    expect(after.dm.length).toBe(seeded + 1);
    const answer = prompt
      .blocks!.flatMap((b) => (b.elements ?? []).map((e) => ({ ...e, block_id: b.block_id })))
      .find((e) => e.action_id === IDS.nudge.answer)!;
    expect(answer).toBeDefined();

    expect(
      await post('action', {
        as: 'U0JONAS',
        container: { type: 'message', ts: prompt.ts },
        action_id: answer.action_id,
        block_id: answer.block_id,
        value: answer.value,
      }),
    ).toEqual({ ok: true });
    const withModal = await get('U0JONAS');
    expect(withModal.modals).toHaveLength(1);
    const modal = withModal.modals[0]!;

    const empty = await post('submit', { as: 'U0JONAS', view_id: modal.id, values: fill(modal.view.blocks, '') });
    expect(empty.ok).toBe(false);
    expect(Object.keys(empty.errors as object).length).toBeGreaterThan(0);
    expect((await get('U0JONAS')).modals).toHaveLength(1);

    const said = 'Paired with Marta on the <disk-full> alert & wrote the runbook';
    expect(await post('submit', { as: 'U0JONAS', view_id: modal.id, values: fill(modal.view.blocks, said) })).toEqual({
      ok: true,
    });
    const answered = await get('U0JONAS');
    expect(answered.modals).toEqual([]);
    const redrawn = answered.dm.find((m) => m.ts === prompt.ts)!;
    expect(redrawn.edited).toBe(true);
    expect(JSON.stringify(redrawn.blocks)).toContain('Answered');

    await get('U0MARTA');
    const friday = await post('clock', { as: 'U0MARTA', to: 'friday' });
    expect(friday.ok).toBe(true);
    const digest = (await get('U0MARTA')).dm.at(-1)!;
    expect(JSON.stringify(digest)).toContain(
      'Paired with Marta on the &lt;disk-full&gt; alert &amp; wrote the runbook',
    );
    expect(await post('clock', { as: 'U0MARTA', to: '2026-01-01T00:00:00Z' })).toMatchObject({ ok: false });
  }, 120_000);

  it('takes changes only from its own page, as JSON, and answers only at its own address (nothing stored otherwise)', async () => {
    const before = (await get('U0KWAME')).dm.length;
    const attempt = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${sandbox.url}/sandbox/command`,
          { method: 'POST', headers: { 'content-type': 'application/json', origin: sandbox.url, ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ as: 'U0KWAME', text: '/checkin stored by another page' }));
      });
    expect(await attempt({ origin: 'https://evil.example' })).toBe(403);
    expect(await attempt({ origin: 'null' })).toBe(403);
    expect(await attempt({ 'content-type': 'text/plain' })).toBe(415);
    // DNS rebinding: a foreign name pointed at 127.0.0.1 arrives with its own Host.
    expect(await attempt({ host: `evil.example:${sandbox.port}`, origin: `http://evil.example:${sandbox.port}` })).toBe(
      403,
    );
    const rebound = await new Promise<number>((resolve) =>
      request(`${sandbox.url}/sandbox/state`, { headers: { host: `evil.example:${sandbox.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).end(),
    );
    expect(rebound).toBe(403);
    // A read, ours or another site's (an <img> elsewhere), does not change who is acting; only
    // a choice from our own page does.
    const acting = async () => ((await (await fetch(`${sandbox.url}/sandbox/state`)).json()) as State).acting;
    const actingBefore = await acting();
    const other = actingBefore === 'U0KWAME' ? 'U0MARTA' : 'U0KWAME';
    await fetch(`${sandbox.url}/sandbox/state?as=${other}`, { headers: { 'sec-fetch-site': 'cross-site' } });
    await fetch(`${sandbox.url}/sandbox/state?as=${other}`, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(await acting()).toBe(actingBefore);
    const foreignAct = await fetch(`${sandbox.url}/sandbox/act`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ as: other }),
    });
    expect(foreignAct.status).toBe(403);
    expect(await acting()).toBe(actingBefore);
    expect(await post('act', { as: other })).toEqual({ ok: true, acting: other });
    expect(await acting()).toBe(other);
    // Names every object has are no endpoints: 404, not Object's own function run on the body.
    for (const name of ['constructor', 'toString', '__proto__']) {
      const res = await fetch(`${sandbox.url}/sandbox/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: sandbox.url },
        body: JSON.stringify({ as: 'U0KWAME' }),
      });
      expect([name, res.status]).toEqual([name, 404]);
    }
    expect((await get('U0KWAME')).dm.length).toBe(before);
    // The same request from its own page is taken: the refusals above were not for another reason.
    expect(await attempt({})).toBe(200);
    expect((await get('U0KWAME')).dm.map((m) => m.text).join('\n')).toContain('stored by another page');
  });

  it('says it does not fetch outside links when given a feed on the internet (refused before any lookup)', async () => {
    expect(await post('command', { as: 'U0LENA', text: '/growth oncall https://calendar.invalid/team.ics' })).toEqual({
      ok: true,
    });
    await expect
      .poll(async () => (await get('U0LENA')).dm.map((m) => m.text).join('\n'), { timeout: 20_000 })
      .toContain('the sandbox does not fetch outside links');
    // It never will, so it does not promise to keep trying.
    const told = (await get('U0LENA')).dm.map((m) => m.text).find((t) => t.includes('outside links'))!;
    expect(told).toContain('Reading that link again will not help; paste a corrected link');
    expect(told).not.toMatch(/keep trying|try it again/);
  });

  it('every command that takes a person works with the mention the page sends (<@U…|Full Name>)', async () => {
    const said = async (as: string, text: string): Promise<string> => {
      const before = (await get(as)).dm.length;
      expect(await post('command', { as, text })).toEqual({ ok: true });
      const out = (await get(as)).dm
        .slice(before)
        .map((m) => m.text)
        .join('\n');
      return out;
    };
    const priya = '<@U0PRIYA|Priya Raman>';
    expect(await said('U0MARTA', `/growth summary ${priya}`)).toMatch(/^\*<@U0PRIYA>\* · junior/);
    expect(await said('U0KWAME', `/growth admin level ${priya} mid`)).toContain(
      '<@U0PRIYA> is now at *mid* level (was junior).',
    );
    expect(await said('U0KWAME', `/growth admin assign ${priya} <@U0LENA|Lena Fischer>`)).toContain(
      '<@U0LENA> now mentors <@U0PRIYA> (was <@U0MARTA>).',
    );
    expect(await said('U0PRIYA', '/growth mentor <@U0MARTA|Marta Kowalski>')).toContain(
      '<@U0MARTA> is now your mentor (instead of <@U0LENA>).',
    );
  });

  it('listens on 127.0.0.1 only: the same port on ::1 is refused', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '::1', port: sandbox.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
  });

  it('a second sandbox on the same folder is told where the first one is, and --fresh deletes nothing of it', async () => {
    const expected = new RegExp(
      `already running on ${page.dir}: open ${sandbox.url.replace(/\./g, '\\.')}\\. .*SANDBOX_DIR=<another folder> npm run sandbox -- --port <another port>`,
    );
    await expect(startSandbox({ port: 0, dir: page.dir })).rejects.toThrow(expected);
    await expect(startSandbox({ port: 0, dir: page.dir, fresh: true })).rejects.toThrow(expected);
    expect((await get('U0JONAS')).dm.length).toBeGreaterThan(0);
    expect(existsSync(join(page.dir, 'workspace.json'))).toBe(true);
  });

  it('keeps its clock and conversations across a restart; --fresh starts over', async () => {
    const { now, dm } = await get('U0JONAS');
    await page.restart();
    const again = await get('U0JONAS');
    expect(again.now).toBe(now);
    expect(again.dm.map((m) => m.text)).toEqual(dm.map((m) => m.text));
    await page.restart({ fresh: true });
    const fresh = await get('U0JONAS');
    expect(new Date(fresh.now).getTime()).toBeLessThan(new Date(now).getTime());
    expect(fresh.dm.length).toBeLessThan(dm.length);
  }, 240_000);
});
