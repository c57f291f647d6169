import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { useSandbox } from '../support/sandbox-client.ts';

// The sandbox's page API at its edges, in this process: what a read changes (nothing), who a
// page acts as, and the answers a visitor can act on.
type State = {
  now: string;
  acting: string;
  dm: { ts: string; from: string; text: string }[];
  people: { id: string; name: string; tz: string }[];
};
const WEEK = 7 * 24 * 3600_000;

let sandbox: Sandbox;
/** What the app heard of each kind (`app_home_opened`, …) since the test began. */
const heard: string[] = [];
const page = useSandbox('sandbox-api-', (s) => {
  sandbox = s;
  const send = sandbox.send;
  sandbox.send = (req, user) => {
    const event = (req.payload as { event?: { type?: string } }).event;
    if (event?.type) heard.push(event.type);
    return send(req, user);
  };
});
const get = (as: string) => page.state<State>(as);
const post = (path: string, body: unknown) => page.send(path, body);

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

  it('Sam, who has not joined, keeps his own zone after writing to the bot (the hint row has none looked up)', async () => {
    const zoneOf = async () => (await get('U0SAM')).people.find((p) => p.id === 'U0SAM')?.tz;
    expect(await zoneOf()).toBe('America/Chicago');
    expect((await post('act', { as: 'U0SAM' })).status).toBe(200);
    expect((await post('message', { as: 'U0SAM', text: 'hello?' })).status).toBe(200);
    await expect
      .poll(async () => (await get('U0SAM')).dm.some((m) => m.from === 'bot' && /join/.test(m.text)))
      .toBe(true);
    expect(await zoneOf()).toBe('America/Chicago');
  });

  it('acting as someone not in this sandbox acts as its default person and says so; a read of them is 404', async () => {
    expect(await post('act', { as: 'U0MARTA' })).toEqual({ status: 200, body: { ok: true, acting: 'U0MARTA' } });
    expect(await post('act', { as: 'U0NOPE' })).toEqual({
      status: 200,
      body: {
        ok: true,
        acting: 'U0JONAS',
        note: 'No one called U0NOPE is in this sandbox: you are acting as Jonas Weber.',
      },
    });
    expect(sandbox.acting).toBe('U0JONAS');
    expect((await fetch(`${sandbox.url}/sandbox/state?as=U0NOPE`)).status).toBe(404);
    // Elsewhere an unknown person is still refused.
    expect((await post('command', { as: 'U0NOPE', text: '/growth help' })).status).toBe(400);
  });

  it('typed text must be a string: an object in an incident channel (or a DM) is refused with 400, nothing posted', async () => {
    const channel = 'inc-typed-text';
    expect(await post('incident', { as: 'U0LENA', do: 'join', channel })).toMatchObject({ status: 200 });
    const said = () =>
      (
        sandbox.standIn.workspace.conversations.get(
          [...sandbox.standIn.channels.values()].find((c) => c.name === channel)!.id,
        ) ?? []
      ).map((m) => m.text);
    const before = said();
    expect(before.length).toBeGreaterThan(0);
    const refused = { status: 400, body: { ok: false, error: '`text` must be a string: the words as typed.' } };
    expect(await post('incident', { as: 'U0LENA', do: 'say', channel, text: { a: 1 } })).toEqual(refused);
    expect(await post('message', { as: 'U0LENA', text: ['hello'] })).toEqual(refused);
    expect(said()).toEqual(before);
    expect((await get('U0LENA')).dm.map((m) => m.text)).not.toContain('hello');
    // The same words as a string are taken.
    expect(await post('incident', { as: 'U0LENA', do: 'say', channel, text: 'rolled back' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(said()).toContain('rolled back');
  });

  it('a jump goes at most 8 weeks ahead, takes `to` only as a string, and one runs at a time (a second is told to wait)', async () => {
    const { now } = await get('U0JONAS');
    const far = await post('clock', { as: 'U0JONAS', to: '9999-12-31' });
    const limit = new Date(Date.parse(now) + 8 * WEEK).toISOString();
    // Jonas is in Berlin: the limit is said in his time.
    const berlin = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(limit));
    const part = (t: string) => berlin.find((p) => p.type === t)!.value;
    const said = `${part('weekday')} ${part('day')} ${part('month')} ${part('year')} ${part('hour')}:${part('minute')}`;
    expect(far.body).toEqual({
      ok: false,
      error: `The clock jumps at most 8 weeks at a time, here to ${said} your time: jump there first, then on.`,
    });
    const justOver = await post('clock', { as: 'U0JONAS', to: new Date(Date.parse(limit) + 60_000).toISOString() });
    expect(justOver.body.ok).toBe(false);
    const listed = await post('clock', { as: 'U0JONAS', to: ['monday'] });
    expect(listed).toEqual({
      status: 400,
      body: { ok: false, error: '`to` must be a string: an ISO instant, or monday, thursday or friday.' },
    });
    expect((await get('U0JONAS')).now).toBe(now);

    // Two jumps at once: one runs, the other is told to wait.
    const both = await Promise.all([
      post('clock', { as: 'U0JONAS', to: new Date(Date.parse(now) + 2 * WEEK).toISOString() }),
      post('clock', { as: 'U0JONAS', to: 'friday' }),
    ]);
    const ran = both.find((b) => b.body.ok)!;
    const refused = both.find((b) => !b.body.ok)!;
    expect(ran.status).toBe(200);
    // A refusal the page may meet is no 4xx (a console error in the visitor's browser).
    expect(refused).toEqual({
      status: 200,
      body: { ok: false, error: 'A jump is already running: wait for it to finish, then jump again.' },
    });
    expect((await get('U0JONAS')).now).toBe(ran.body.now);
    // Once it is done, the next one runs.
    expect((await post('clock', { as: 'U0JONAS', to: 'monday' })).body.ok).toBe(true);
  }, 120_000);

  it('takes a body of up to 1 MiB: a larger one is refused with 413 and changes nothing', async () => {
    const before = await get('U0JONAS');
    const text = 'x'.repeat(40_000);
    expect((await post('message', { as: 'U0JONAS', text })).status).toBe(200);
    const after = await get('U0JONAS');
    expect(after.dm.length).toBeGreaterThan(before.dm.length);
    const huge = await post('message', { as: 'U0JONAS', text: 'y'.repeat(1024 * 1024 + 1) });
    expect(huge).toEqual({ status: 413, body: { ok: false, error: 'A request here may be up to 1048576 bytes.' } });
    expect((await get('U0JONAS')).dm.length).toBe(after.dm.length);
  });

  it('what a jump ran lists the auto-pause notices too (the weekly job DMs them, with no delivery row)', async () => {
    const PAUSED = "I haven't heard from you for three weeks, so I've paused your weekly prompts";
    const { now } = await get('U0JONAS');
    const to = new Date(Date.parse(now) + 5 * WEEK).toISOString();
    const month = await post('clock', { as: 'U0JONAS', to });
    expect(month.body.ok).toBe(true);
    const ran = month.body.ran as { at: string; kind: string; to: string[] }[];
    const pausedLines = ran.filter((r) => r.kind === 'prompts paused (three weeks unanswered)');
    // Whoever the bot told, by their DMs in the jump, and only they, at the tick that sent it.
    const ids = ['U0JONAS', 'U0PRIYA', 'U0DIEGO', 'U0MARTA', 'U0LENA', 'U0KWAME', 'U0SAM'];
    const told: string[] = [];
    for (const id of ids) {
      const st = await get(id);
      const name = st.people.find((p) => p.id === id)!;
      const notices = st.dm.filter((m) => m.from === 'bot' && m.text.startsWith(PAUSED));
      const inJump = notices.filter((m) => {
        const at = Number(m.ts.split('.')[0]) * 1000;
        return at > Date.parse(now) && at <= Date.parse(to);
      });
      for (const _ of inJump) told.push(name.name);
    }
    expect(told.length).toBeGreaterThan(0);
    expect(pausedLines.flatMap((r) => r.to).sort()).toEqual(told.sort());
    for (const line of pausedLines) {
      expect(Date.parse(line.at)).toBeGreaterThan(Date.parse(now));
      expect(Date.parse(line.at)).toBeLessThanOrEqual(Date.parse(to));
      // The tick that paused someone skipped their prompt: it is that week's prompt tick, on the minute.
      expect(Date.parse(line.at) % 60_000).toBe(0);
    }
    const times = ran.map((r) => r.at);
    expect(times).toEqual([...times].sort());
  }, 120_000);
});
