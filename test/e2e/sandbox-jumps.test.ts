import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { useSandbox } from '../support/sandbox-client.ts';

// A jump of the sandbox clock runs every scheduler tick in between (those where something is
// due), so people in every zone get what the bot would have sent them meanwhile.
type Msg = { ts: string; from: string; text: string };
type Sent = { at: string; kind: string; to: string[] };
type Jump = { ok: boolean; now: string; ticks: number; ran: Sent[] };

let sandbox: Sandbox;
const page = useSandbox('sandbox-jumps-', (s) => (sandbox = s));
const dm = async (as: string): Promise<Msg[]> => (await page.state<{ dm: Msg[] }>(as)).dm;
const jump = (as: string, to: string) => page.post<Jump>('clock', { as, to });
const localTime = (ts: string, tz: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(
    new Date(Number(ts.split('.')[0]) * 1000),
  );

const ZONES = {
  U0PRIYA: 'Asia/Kolkata',
  U0DIEGO: 'America/New_York',
  U0MARTA: 'Europe/London',
  U0KWAME: 'America/Los_Angeles',
};

describe('sandbox clock jumps', () => {
  it('a Berlin visitor jumping Monday, Thursday, Friday leaves everyone in every zone their prompt and reminder at their own 10:00', async () => {
    const before = Object.fromEntries(
      await Promise.all(Object.keys(ZONES).map(async (id) => [id, (await dm(id)).length] as const)),
    );
    const monday = await jump('U0JONAS', 'monday');
    // Monday 10:00 in Berlin: Kolkata's 10:00 came first, the others' are still ahead.
    expect(monday.ran.filter((r) => r.kind === 'weekly prompt').flatMap((r) => r.to)).toEqual(
      expect.arrayContaining(['Priya Raman', 'Jonas Weber']),
    );
    // Lena is on call the demo's first week: hers is the on-call prompt, and is called so.
    expect(monday.ran.filter((r) => r.kind === 'on-call prompt').flatMap((r) => r.to)).toEqual(['Lena Fischer']);
    expect(monday.ran.flatMap((r) => r.to)).not.toContain('Diego Alvarez');
    const thursday = await jump('U0JONAS', 'thursday');
    const friday = await jump('U0JONAS', 'friday');
    const sent = [...monday.ran, ...thursday.ran, ...friday.ran];
    for (const [id, tz] of Object.entries(ZONES)) {
      const fromBot = (await dm(id)).slice(before[id]).filter((m) => m.from === 'bot');
      const prompt = fromBot.find((m) => /growth prompt/i.test(m.text));
      expect(prompt, `${id} got this Monday's prompt`).toBeDefined();
      expect(localTime(prompt!.ts, tz)).toBe('Mon 10:00');
      const reminder = fromBot.find((m) => m !== prompt && !/digest/i.test(m.text));
      expect(reminder, `${id} got Thursday's reminder`).toBeDefined();
      expect(localTime(reminder!.ts, tz)).toBe('Thu 10:00');
    }
    // The answer says what went out, when and to whom.
    expect(sent.find((r) => r.to.includes('Diego Alvarez') && r.kind === 'weekly prompt')?.at).toBe(
      new Date(Date.parse(monday.now) + 6 * 3600_000).toISOString(),
    );
    expect(sent.filter((r) => r.kind === 'reminder').flatMap((r) => r.to)).toContain('Kwame Mensah');
    // Far fewer ticks than the cron's 5-minute beat over four days (1152), none with nothing due.
    const ticks = monday.ticks + thursday.ticks + friday.ticks;
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(ticks).toBeLessThan(40);
  }, 120_000);

  it('a month in one jump sends each week’s prompts and digests in order, at their local times, skipping idle ticks', async () => {
    const start = Date.parse((await jump('U0MARTA', 'friday')).now);
    let changes = 0;
    const stop = sandbox.standIn.workspace.onChange(() => changes++);
    const month = await jump('U0MARTA', new Date(start + 28 * 24 * 3600_000).toISOString());
    stop();
    expect(month.ok).toBe(true);
    // The page hears of the jump once, when it is done, not once per message on the way.
    expect(month.ran.flatMap((r) => r.to).length).toBeGreaterThan(10);
    expect(changes).toBe(1);
    const times = month.ran.map((r) => r.at);
    expect(times).toEqual([...times].sort());
    // (Mentees who never answer pause after three weeks, and their mentor's digests stop with them.)
    const digests = month.ran.filter((r) => r.kind === 'mentor digest' && r.to.includes('Marta Kowalski'));
    expect(digests.length).toBeGreaterThanOrEqual(2);
    for (const d of digests) expect(localTime(`${Date.parse(d.at) / 1000}.0`, 'Europe/London')).toBe('Fri 15:00');
    const promptWeeks = new Set(
      month.ran.filter((r) => r.kind === 'weekly prompt').map((r) => Math.floor((Date.parse(r.at) - start) / 6048e5)),
    );
    expect(promptWeeks.size).toBeGreaterThanOrEqual(2);
    expect(month.ticks).toBeLessThan(4 * 30);
  }, 120_000);
});
