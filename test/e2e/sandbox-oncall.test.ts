import { describe, expect, it } from 'vitest';
import { feedToFetch, scheduleFeeds } from '../../src/db/oncall-feeds.ts';
import { oncallPrompts } from '../../src/rubrics/extras.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { useSandbox } from '../support/sandbox-client.ts';

// The demo's on-call rotation (its own feed on loopback, read by the app's own feed fetch) and
// an incident channel made from the page: within two weeks of jumps a visitor sees an on-call
// prompt, the retro after the shift, an incident reflection and the digest's on-call lines.
type Msg = { ts: string; from: string; text: string; blocks?: unknown[] };
type Channel = { name: string; archived: boolean; members: string[]; messages: { user: string; text: string }[] };
type State = { dm: Msg[]; channels: Channel[]; tour: { id: string; done: boolean }[] };
type Answer = { ok: boolean; error?: string; ran?: { kind: string; to: string[] }[] };

let sandbox: Sandbox;
const page = useSandbox('sandbox-oncall-', (s) => (sandbox = s));
const state = (as: string) => page.state<State>(as);
const post = (what: string, body: Record<string, unknown>) => page.post<Answer>(what, body);
const jump = (to: string, as = 'U0JONAS') => post('clock', { as, to });
const incident = (what: string, extra: Record<string, unknown> = {}) =>
  post('incident', { as: 'U0JONAS', do: what, channel: 'inc-checkout-latency', ...extra });
const shown = (m: Msg) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`;
const berlin = (ts: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(Number(ts.split('.')[0]) * 1000));
const sentTo = (a: Answer, kind: string) => (a.ran ?? []).filter((r) => r.kind === kind).flatMap((r) => r.to);
const lastDigest = async (mentor: string): Promise<string> =>
  shown((await state(mentor)).dm.filter((m) => m.text.startsWith('Your mentees this week')).at(-1)!);

describe('sandbox on-call and incidents', () => {
  it('two weeks of jumps as Jonas: Lena on call, then Jonas (prompt, retro), a reflection, and the digest says who was on call', async () => {
    await jump('monday');
    // A channel the app would not follow is refused with the name it would: nothing is made.
    expect(await incident('join', { channel: 'outage-db' })).toEqual({
      ok: false,
      error: 'growthbot follows incident channels named inc-… here: try inc-outage-db.',
    });
    expect((await state('U0JONAS')).channels).toEqual([]);
    // Jonas joins an incident channel, writes in it and archives it: the app hears Slack's events.
    expect(await incident('join')).toMatchObject({ ok: true });
    // The limit counts what was typed: 4,000 "<" arrive as 4,000 "&lt;" and are taken.
    expect(await incident('say', { text: '&lt;'.repeat(4_000) })).toEqual({ ok: true });
    expect(await incident('say', { text: 'x'.repeat(4_001) })).toMatchObject({ ok: false });
    expect(await incident('say', { text: 'Rolled back <b>v2</b> & paged the DB team' })).toEqual({ ok: true });
    expect(await incident('archive')).toEqual({ ok: true });
    const channel = (await state('U0JONAS')).channels.find((c) => c.name === 'inc-checkout-latency')!;
    expect(channel).toMatchObject({ archived: true, members: ['U0JONAS'] });
    expect(channel.messages.map((m) => m.text)).toContain('Rolled back <b>v2</b> & paged the DB team');
    expect(await incident('say', { text: 'too late' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('archived'),
    });

    const thursday = await jump('thursday');
    // Archived Monday: the reflection comes two working days later, Wednesday 10:00 in Berlin.
    expect(sentTo(thursday, 'incident reflection')).toEqual(['Jonas Weber']);
    expect((await state('U0JONAS')).dm.map((m) => m.text)).toContainEqual(
      expect.stringContaining('A reflection on <#C0INC1>'),
    );
    // Friday 15:00 in Los Angeles, Kwame's digest: Lena, his mentee, is on call the demo's first week.
    expect(sentTo(await jump('friday', 'U0KWAME'), 'mentor digest')).toContain('Kwame Mensah');
    expect(await lastDigest('U0KWAME')).toMatch(/U0LENA>\* · mid[^"]*:pager: \*On call\* Mon \d+ \w+ 09:00/);

    const monday = await jump('monday');
    // Jonas's week on call: his prompt is a junior's on-call prompt, at the start of his shift (09:00).
    const junior = oncallPrompts(sandbox.deps.rubrics, 'junior').map((p) => p.text);
    const prompt = (await state('U0JONAS')).dm.filter((m) => m.from === 'bot').at(-1)!;
    expect(junior.some((t) => prompt.text.includes(t.slice(0, 60)))).toBe(true);
    expect(berlin(prompt.ts)).toBe('Mon 09:00');
    // What ran says so: Jonas's prompt is the on-call one, the others' the weekly one.
    expect(sentTo(monday, 'on-call prompt')).toEqual(['Jonas Weber']);
    expect(sentTo(monday, 'weekly prompt')).not.toContain('Jonas Weber');
    expect(sentTo(monday, 'weekly prompt').length).toBeGreaterThan(0);
    // Lena's shift ended Monday 09:00 in Berlin: her retro came then.
    expect(sentTo(monday, 'on-call retro')).toEqual(['Lena Fischer']);
    expect(sentTo(await jump('thursday'), 'reminder')).not.toContain('Jonas Weber');
    expect(sentTo(await jump('friday', 'U0MARTA'), 'mentor digest')).toContain('Marta Kowalski');
    expect(await lastDigest('U0MARTA')).toMatch(/U0JONAS>\* · junior[^"]*:pager: \*On call\* Mon \d+ \w+ 09:00/);
    expect(sentTo(await jump('monday'), 'on-call retro')).toEqual(['Jonas Weber']);
    expect((await state('U0JONAS')).dm.at(-2)!.text).toMatch(/^Your on-call shift is over/);

    // It all came through the feed fetch, from the sandbox's own address.
    const [feed] = await scheduleFeeds(sandbox.deps.db, 'T0TEST');
    expect(feed).toMatchObject({ lastError: null, lastOkAt: expect.any(Date) });
    const tour = Object.fromEntries((await state('U0JONAS')).tour.map((t) => [t.id, t.done]));
    expect(tour).toMatchObject({ monday: true, answer: false, oncall: true, reflection: true });
  }, 240_000);

  it('a restart on another port keeps the channels and points the demo feed at the new address', async () => {
    const old = sandbox.url;
    await page.restart();
    expect(sandbox.url).not.toBe(old);
    const [feed] = await scheduleFeeds(sandbox.deps.db, 'T0TEST');
    expect((await feedToFetch(sandbox.deps.db, feed!.id))!.url).toBe(`${sandbox.url}/oncall.ics`);
    const s = await state('U0JONAS');
    expect(s.channels).toMatchObject([{ name: 'inc-checkout-latency', archived: true, members: ['U0JONAS'] }]);
    expect(s.tour.find((t) => t.id === 'reflection')?.done).toBe(true);
    expect(await incident('join')).toMatchObject({ ok: false, error: expect.stringContaining('archived') });
  }, 120_000);
});
