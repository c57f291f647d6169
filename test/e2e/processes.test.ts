import { describe, expect, it } from 'vitest';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers } from '../support/members.ts';
import { startProcess } from '../support/processes.ts';

let h: Harness;
useHarness((x) => (h = x));

const MONDAY = '2026-12-07T09:05:00Z';

const start = (args: string[], env: Record<string, string> = {}) =>
  startProcess(h, args, { LOG_LEVEL: 'info', ...env });

/** How many prompts each member received, as Slack saw them arrive. */
function promptsPerMember(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of h.fake.calls) {
    if (c.method !== 'chat.postMessage' || c.failed) continue;
    if ((c.args.metadata as { event_type?: string } | undefined)?.event_type !== IDS.deliveryEvent) continue;
    counts.set(String(c.args.channel), (counts.get(String(c.args.channel)) ?? 0) + 1);
  }
  return counts;
}

describe('a process killed in the middle of a fan-out', () => {
  it('kill -9 during a 1,000-member weekly-prompts run, then a new run: every member has exactly one prompt', async () => {
    const ids = await seedMembers(h.deps.db, 1000);
    h.fake.failShare('chat.postMessage', 1, { delayMs: 25 }); // every send arrives at once, its answer later
    const run = start(['src/cli.ts', 'run', 'weekly-prompts', '--at', MONDAY]);
    await h.fake.waitFor('chat.postMessage', 300, 30_000);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    const before = promptsPerMember();
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(1000);

    // After the crashed run's leases expire (5 min), a new run finishes the week.
    const again = start(['src/cli.ts', 'run', 'weekly-prompts', '--at', '2026-12-07T09:15:00Z']);
    const r = await again.done;
    expect(r.code, r.out).toBe(0);
    const report = JSON.parse(r.out.trim().split('\n').at(-1)!) as { found: number; sent: number };
    const after = promptsPerMember();
    expect([...after.keys()].sort()).toEqual(ids);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    expect(report.sent + report.found).toBeGreaterThan(0);
    const statuses = await h.deps.db.selectFrom('deliveries').select('status').where('kind', '=', 'prompt').execute();
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
  }, 90_000);
});

describe('two instances on one database', () => {
  it('ticking at the same moment send each prompt once', async () => {
    const ids = await seedMembers(h.deps.db, 300);
    const a = start(['src/cli.ts', 'run', 'weekly-prompts', '--at', MONDAY]);
    const b = start(['src/cli.ts', 'run', 'weekly-prompts', '--at', MONDAY]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.out).toBe(0);
    expect(rb.code, rb.out).toBe(0);
    const counts = promptsPerMember();
    expect([...counts.keys()].sort()).toEqual(ids);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});

describe('graceful stop', () => {
  it('SIGTERM in the middle of a paced fan-out: exits 0 within 10 s, and the next run sends the rest once', async () => {
    const ids = await seedMembers(h.deps.db, 200);
    // Due now by the real clock: everyone's slot is the start of today, UTC.
    const today = ([7, 1, 2, 3, 4, 5, 6] as const)[new Date().getUTCDay()]!;
    // Timezones freshly read, so the bot's ticks do not ask Slack about these made-up people.
    await h.deps.db
      .updateTable('members')
      .set({ tz: 'UTC', prompt_weekday: today, prompt_minute: 0, tz_checked_at: new Date() })
      .execute();
    const bot = start(['src/main.ts'], { PORT: '0', SEND_RATE_PER_SECOND: '20', TICK_CRON: '* * * * * *' });
    await h.fake.waitFor('chat.postMessage', 20, 30_000);
    const asked = Date.now();
    bot.child.kill('SIGTERM');
    const r = await bot.done;
    expect(r.code, r.out).toBe(0);
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(r.out).toContain('"msg":"stopped"');
    const sentBefore = promptsPerMember();
    expect(sentBefore.size).toBeLessThan(200);
    // Nothing was left half-sent: every claim is either sent or back to claimed.
    const statuses = new Set(
      (await h.deps.db.selectFrom('deliveries').select('status').execute()).map((s) => s.status),
    );
    expect([...statuses].every((s) => s === 'sent' || s === 'claimed')).toBe(true);

    const rest = start(['src/cli.ts', 'run', 'weekly-prompts']);
    expect((await rest.done).code).toBe(0);
    const after = promptsPerMember();
    expect([...after.keys()].sort()).toEqual(ids);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);
});
