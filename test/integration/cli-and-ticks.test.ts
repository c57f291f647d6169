import { describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers } from '../support/members.ts';
import { runCli } from '../support/processes.ts';

let h: Harness;
useHarness((x) => (h = x));

const cli = (...args: string[]) => runCli(h, ...args);

describe('npm run cli', () => {
  it('runs weekly-prompts at a given instant, once, with exit code 0', async () => {
    await seedMembers(h.deps.db, 3);
    const first = await cli('run', 'weekly-prompts', '--at', '2026-12-07T09:05:00Z');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      job: 'weekly-prompts',
      at: '2026-12-07T09:05:00.000Z',
      claimed: 3,
      sent: 3,
    });
    const again = await cli('run', 'weekly-prompts', '--at', '2026-12-07T09:10:00Z');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ claimed: 0, sent: 0 });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(3);
    const reminders = await cli('run', 'reminders', '--at', '2026-12-10T09:05:00Z');
    expect(JSON.parse(reminders.stdout)).toMatchObject({ job: 'reminders', sent: 3 });
  }, 60_000); // four processes, each a few seconds on a busy machine

  it('exits 1 with one sentence when sends failed, counting people, not attempts', async () => {
    await seedMembers(h.deps.db, 2);
    h.fake.failNext('chat.postMessage', { error: 'service_unavailable' }, 50);
    const r = await cli('run', 'weekly-prompts', '--at', '2026-12-07T09:05:00Z');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ claimed: 2, sent: 0, failed: 2 });
    expect(r.stderr).toContain('2 message(s) could not be sent: 2 will be tried again on a later tick.');
  }, 30_000);

  it('refuses --at without a zone', async () => {
    const r = await cli('run', 'weekly-prompts', '--at', '2026-12-07T09:05:00');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('an instant with Z or an offset');
  }, 30_000);

  it('answers bad usage with exit code 2 and says what is wrong', async () => {
    const unknown = await cli('run', 'funday');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('weekly-prompts, reminders');
    const badAt = await cli('run', 'weekly-prompts', '--at', 'next monday');
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toContain('--at needs an instant with Z or an offset');
    expect((await cli('frobnicate')).code).toBe(2);
    const migrate = await cli('migrate');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('up to date');
  }, 60_000);
});

describe('node-cron ticks', () => {
  it('send the due prompts on a tick, and keep ticking without sending twice', async () => {
    const ids = await seedMembers(h.deps.db, 4);
    // Their timezones are more than a week old, so the tick reads them again from Slack first.
    for (const id of ids) h.fake.addUser({ id, tz: 'Europe/Berlin' });
    const deps = { ...h.deps, now: () => new Date('2026-12-07T09:05:00Z') };
    const scheduler = startScheduler(deps, { cron: '* * * * * *' }); // every second
    try {
      await h.fake.waitFor('chat.postMessage', 4, 5_000);
      await new Promise((r) => setTimeout(r, 2_200)); // two more ticks
      expect(scheduler.lastTickAt()).not.toBeNull();
    } finally {
      await scheduler.stop();
    }
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual(ids);
    expect(h.fake.callsTo('users.info')).toHaveLength(4);
  }, 15_000);

  it('a failing job is logged and the next tick runs again', async () => {
    await seedMembers(h.deps.db, 1);
    let calls = 0;
    const deps = {
      ...h.deps,
      now: () => {
        calls++;
        if (calls <= 3) throw new Error('database went away'); // the first tick's jobs fail
        return new Date('2026-12-07T09:05:00Z');
      },
    };
    const scheduler = startScheduler(deps, { cron: '* * * * * *', jobs: ['weekly-prompts'] });
    try {
      await h.fake.waitFor('chat.postMessage', 1, 6_000);
    } finally {
      await scheduler.stop();
    }
    expect(h.logs.some((l) => String(l.msg).includes('job weekly-prompts failed'))).toBe(true);
  }, 15_000);
});
