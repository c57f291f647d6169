import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { SORRY, UNCONFIRMED } from '../../src/slack/guard.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { selectValue, slashCommand, textValue, timeValue, viewSubmission } from '../support/slack-requests.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let h: Harness;
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await startTcpProxy(Number(new URL(inject('adminDatabaseUrl')).port || 5432));
  h = await startHarness(
    {},
    { databaseUrl: (url) => Object.assign(new URL(url), { port: String(proxy.port) }).toString() },
  );
  for (const u of ['U0ANA', 'U0BEN']) h.fake.addUser({ id: u, tz: 'UTC' });
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});
beforeEach(async () => {
  proxy.restore();
  await h.database.truncate();
});

const checkin = async (text: string, user = 'U0ANA') => {
  const started = Date.now();
  const r = await h.send(slashCommand({ command: '/checkin', text, user_id: user }));
  return { status: r.status, text: (r.json as { text?: string } | undefined)?.text ?? '', ms: Date.now() - started };
};
const stored = async () => (await h.deps.db.selectFrom('checkins').select('text').execute()).map((c) => c.text);
const health = async () => (await fetch(`${h.privateUrl}/healthz`)).status;

async function eventually(check: () => Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('did not recover in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(['cut', 'blackhole'] as const)('Postgres unreachable (%s)', (how) => {
  it('the pause and schedule forms answer within 3 s, keep the form open, and say what is known', async () => {
    expect((await h.send(slashCommand({ command: '/growth', text: 'join junior', user_id: 'U0ANA' }))).status).toBe(
      200,
    );
    // Open connections for both forms first: swallowed, each form's write leaves on its own
    // open connection (a new one could not be had, and would be refused at once instead).
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(h.deps.db)));
    proxy[how]();
    const p = IDS.pause;
    const s = IDS.schedule;
    const forms: { callback_id: string; values: Record<string, Record<string, unknown>>; block: string }[] = [
      {
        callback_id: IDS.pauseModal,
        values: { [p.weeksBlock]: { [p.weeksAction]: selectValue('2') } },
        block: p.weeksBlock,
      },
      {
        callback_id: IDS.scheduleModal,
        block: s.weekdayBlock,
        values: {
          [s.weekdayBlock]: { [s.weekdayAction]: selectValue('2') },
          [s.timeBlock]: { [s.timeAction]: timeValue('09:30') },
        },
      },
    ];
    for (const form of forms) {
      const started = Date.now();
      const r = await h.send(viewSubmission({ user: 'U0ANA', callback_id: form.callback_id, values: form.values }));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(r.status).toBe(200);
      // Refused at once, the write never left; swallowed, it may still land.
      expect(r.json).toMatchObject({
        response_action: 'errors',
        errors: { [form.block]: how === 'cut' ? SORRY : UNCONFIRMED },
      });
    }
  }, 20_000);

  it('answers /checkin within 3 s, hands the text back, keeps the modal open, and recovers by itself', async () => {
    expect((await h.send(slashCommand({ command: '/growth', text: 'join junior', user_id: 'U0ANA' }))).status).toBe(
      200,
    );
    proxy[how]();

    const r = await checkin('wrote a runbook for the disk-full alert');
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3_000);
    expect(r.text).toContain('could not save');
    expect(r.text).toContain('wrote a runbook for the disk-full alert');

    const c = IDS.checkin;
    const started = Date.now();
    const modal = await h.send(
      viewSubmission({
        user: 'U0ANA',
        callback_id: IDS.checkinModal,
        private_metadata: '{}',
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue('observability') },
          [c.textBlock]: { [c.textAction]: textValue('my modal text') },
        },
      }),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(modal.json).toMatchObject({
      response_action: 'errors',
      errors: { [c.textBlock]: expect.stringContaining('Could not confirm this was saved') },
    });

    expect(await health()).toBe(503);

    proxy.restore();
    await eventually(async () => (await health()) === 200);
    await eventually(async () => (await checkin('back again: read the SLO doc')).text.startsWith('Saved'));
    expect(await stored()).toContain('back again: read the SLO doc');
  }, 40_000);
});

describe('Postgres connections killed during check-ins', () => {
  it('loses nothing: every check-in is either stored or handed back, and the app answers again after', async () => {
    await h.send(slashCommand({ command: '/growth', text: 'join junior', user_id: 'U0ANA' }));
    await h.send(slashCommand({ command: '/growth', text: 'join mid', user_id: 'U0BEN' }));
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    const dbName = new URL(h.database.url).pathname.slice(1);
    let killing = true;
    let killed = 0;
    const killer = (async () => {
      while (killing) {
        const r = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'growthbot'",
          [dbName],
        );
        killed += r.rowCount ?? 0;
        await new Promise((res) => setTimeout(res, 15));
      }
    })();
    const texts = Array.from({ length: 40 }, (_, i) => `check-in number ${i} during the storm`);
    const replies = await Promise.all(texts.map((t, i) => checkin(t, i % 2 ? 'U0ANA' : 'U0BEN')));
    killing = false;
    await killer;
    await admin.end();

    expect(killed).toBeGreaterThan(0);
    const kept = await stored();
    for (const [i, r] of replies.entries()) {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(3_000);
      const inDb = kept.includes(texts[i]!);
      const handedBack = r.text.includes(texts[i]!);
      expect(inDb || handedBack, `check-in ${i}: "${r.text.slice(0, 80)}"`).toBe(true);
      if (r.text.startsWith('Saved')) expect(inDb).toBe(true);
    }
    await eventually(async () => (await checkin('after the storm')).text.startsWith('Saved'));
  }, 60_000);
});

describe('jobs during an outage', () => {
  it('skip the tick, say so in the log, and send on the next tick once Postgres is back', async () => {
    await h.send(slashCommand({ command: '/growth', text: 'join junior', user_id: 'U0ANA' }));
    h.fake.reset();
    const deps = { ...h.deps, now: () => new Date('2026-12-07T10:05:00Z') };
    const scheduler = startScheduler(deps, { cron: '0 0 1 1 *', jobs: ['weekly-prompts'] }); // ticks by hand below
    try {
      proxy.cut();
      await scheduler.tick();
      expect(h.logs.some((l) => String(l.msg).includes('job weekly-prompts failed'))).toBe(true);
      expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
      proxy.restore();
      await eventually(async () => {
        await scheduler.tick();
        return h.fake.callsTo('chat.postMessage').length === 1;
      });
    } finally {
      await scheduler.stop();
    }
  }, 40_000);
});
