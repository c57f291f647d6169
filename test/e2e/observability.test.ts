// What an operator sees: logs (no secrets, nothing people wrote, every line tied to its request
// or job), GET /metrics in Prometheus text, and GET /healthz with the scheduler's heartbeat.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/index.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { BOT_TOKEN, type Harness, SIGNING_SECRET, startHarness } from '../support/harness.ts';
import {
  checkboxesValue,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

const ANA = 'U0OBSANA';
const BEN = 'U0OBSBEN';
const MENTOR = 'U0OBSMO';
const NO_PROFILE = 'U0OBSGHOST'; // unknown to Slack: users.info fails, which is logged
const QUICK_TEXT = 'ZEBRA-CHECKIN-TEXT-4711';
const MODAL_TEXT = 'OKAPI-MODAL-TEXT-0815';
const FAILED_TEXT = 'QUOKKA-UNSAVED-TEXT-2222';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.fake.addUser({ id: ANA, tz: 'Europe/Berlin', real_name: 'Ana' });
  h.fake.addUser({ id: BEN, tz: 'Europe/Berlin', real_name: 'Ben' });
  h.fake.addUser({ id: MENTOR, tz: 'America/New_York', real_name: 'Mo' });
});
afterAll(async () => {
  h?.setNow(undefined);
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = async (user: string, command: '/growth' | '/checkin', text: string) => {
  const r = await h.send(slashCommand({ command, text, user_id: user }));
  expect(r.status).toBe(200);
  return (r.json as { text: string }).text;
};
type Line = Record<string, unknown>;
/** Runs `fn` and returns the log lines written meanwhile (and in the short while after its ack). */
async function linesOf(fn: () => Promise<unknown>, settleMs = 150): Promise<Line[]> {
  const from = h.logs.length;
  await fn();
  await sleep(settleMs);
  return h.logs.slice(from);
}

async function get(path: string): Promise<{ status: number; type: string | null; body: string }> {
  const r = await fetch(`${h.privateUrl}${path}`);
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
}
/** One sample's value from Prometheus text, matched by name and (a subset of) its labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}
/** Every label set a metric is exported with. */
function labelSets(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .map((l) => l.slice(name.length, l.lastIndexOf('}') + 1));
}

describe('logs', () => {
  it('never contain secrets or what people wrote; request lines carry a requestId and job lines a job and jobId', async () => {
    const requestLines: Line[] = [];
    const jobLines: Line[] = [];
    const asRequest = async (fn: () => Promise<unknown>) => requestLines.push(...(await linesOf(fn)));

    // Monday 10:05 in Berlin: two members join, one names a mentor; someone Slack cannot find joins too.
    h.setNow(new Date('2026-12-07T09:05:00Z'));
    await asRequest(() => say(ANA, '/growth', 'join junior'));
    await asRequest(() => say(BEN, '/growth', 'join mid'));
    await asRequest(() => say(NO_PROFILE, '/growth', 'join junior'));
    await asRequest(() => say(ANA, '/growth', `mentor <@${MENTOR}|mo>`));
    jobLines.push(...(await linesOf(() => runJob(h.deps, 'weekly-prompts', new Date('2026-12-07T09:05:00Z')), 0)));
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === ANA && c.args.metadata)).toHaveLength(1);

    // Tuesday: a quick check-in, a form check-in asking for help, a help request.
    h.setNow(new Date('2026-12-08T10:00:00Z'));
    await asRequest(async () => expect(await say(ANA, '/checkin', QUICK_TEXT)).toContain('Saved your check-in'));
    const c = IDS.checkin;
    await asRequest(async () => {
      const r = await h.send(
        viewSubmission({
          user: ANA,
          callback_id: IDS.checkinModal,
          private_metadata: '{}',
          view_id: 'V0OBSMODAL',
          values: {
            [c.competencyBlock]: { [c.competencyAction]: selectValue('observability') },
            [c.textBlock]: { [c.textAction]: textValue(MODAL_TEXT) },
            [c.ratingBlock]: { [c.ratingAction]: radioValue('2') },
            [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([IDS.options.needsHelp]) },
          },
        }),
      );
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
    });
    await asRequest(async () => expect(await say(BEN, '/growth', 'help')).toContain('/growth join'));

    // The database refuses a check-in (a constraint made for the test); Postgres puts the
    // failing row, text and all, into its error detail.
    await sql`alter table checkins add constraint observability_forced_failure check (text not like '%QUOKKA%') not valid`.execute(
      h.deps.db,
    );
    try {
      await asRequest(async () => expect(await say(BEN, '/checkin', FAILED_TEXT)).toContain('could not save'));
    } finally {
      await sql`alter table checkins drop constraint observability_forced_failure`.execute(h.deps.db);
    }
    expect(requestLines.some((l) => l.msg === '/checkin failed' && (l.level as number) >= 50)).toBe(true);

    // Friday 15:00 in New York: the mentor's digest, which quotes Ana's help request.
    jobLines.push(...(await linesOf(() => runJob(h.deps, 'digests', new Date('2026-12-11T20:00:00Z')), 0)));
    const digest = h.fake
      .callsTo('chat.postMessage')
      .find((call) => call.args.channel === MENTOR && call.args.metadata);
    expect(JSON.stringify(digest?.args.blocks)).toContain(MODAL_TEXT);
    await sleep(600); // Home refreshes and other work after the acks

    const all = JSON.stringify(h.logs);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, QUICK_TEXT, MODAL_TEXT, FAILED_TEXT]) {
      expect.soft(all.includes(secret), `logs contain ${secret}`).toBe(false);
    }

    // Our own lines while handling a request (not Bolt's receiver, which runs before any handler).
    const ours = requestLines.filter((l) => l.component === undefined);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((l) => typeof l.requestId !== 'string' || l.requestId === '')).toEqual([]);
    // Each request has its own id.
    expect(new Set(ours.map((l) => l.requestId)).size).toBeGreaterThan(1);

    expect(jobLines.length).toBeGreaterThan(0);
    expect(jobLines.filter((l) => typeof l.job !== 'string' || typeof l.jobId !== 'string')).toEqual([]);
    expect(new Set(jobLines.filter((l) => l.job === 'digests').map((l) => l.jobId)).size).toBe(1);
    expect(jobLines.some((l) => l.job === 'weekly-prompts') && jobLines.some((l) => l.job === 'digests')).toBe(true);
  });
});

describe('GET /metrics', () => {
  it('counts check-ins, deliveries, job runs and Slack errors (by method and code, never by person)', async () => {
    h.setNow(new Date('2026-12-09T10:00:00Z'));
    // Its own members, so the test passes alone as well as after the others.
    for (const u of [ANA, BEN]) await say(u, '/growth', 'join junior');
    const before = (await get('/metrics')).body;
    const n = 3;
    for (let i = 0; i < n; i++) expect(await say(BEN, '/checkin', `metrics check-in number ${i}`)).toContain('Saved');

    // Next Monday's prompts: one goes out, Slack refuses the other for good.
    h.setNow(new Date('2026-12-14T09:05:00Z'));
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const report = (await runJob(h.deps, 'weekly-prompts', new Date('2026-12-14T09:05:00Z'))) as {
      sent: number;
      gaveUp: number;
    };
    expect(report).toMatchObject({ sent: 1, gaveUp: 1 });

    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain/);
    const after = r.body;
    const delta = (name: string, labels: Record<string, string>) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);

    expect(after).toContain('# TYPE growthbot_checkins_total counter');
    expect(delta('growthbot_checkins_total', { source: 'command' })).toBe(n);
    expect(delta('growthbot_deliveries_total', { kind: 'prompt', outcome: 'sent' })).toBe(1);
    expect(delta('growthbot_deliveries_total', { kind: 'prompt', outcome: 'gave_up' })).toBe(1);
    expect(delta('growthbot_job_runs_total', { job: 'weekly-prompts', outcome: 'ok' })).toBe(1);
    expect(delta('growthbot_job_duration_seconds_count', { job: 'weekly-prompts' })).toBe(1);
    expect(delta('growthbot_job_duration_seconds_bucket', { job: 'weekly-prompts', le: '+Inf' })).toBe(1);
    expect(sample(after, 'growthbot_send_queue_depth')).toBe(0);
    expect(sample(after, 'growthbot_last_tick_timestamp_seconds')).toBe(0); // no tick in this process
    expect(sample(after, 'growthbot_process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // A Prometheus user sees the failed call by Web API method and Slack error code…
    expect(delta('growthbot_slack_api_errors_total', { method: 'chat.postMessage', code: 'channel_not_found' })).toBe(
      1,
    );
    // …and no label names a person (a user id per series grows without bound).
    const errorSeries = labelSets(after, 'growthbot_slack_api_errors_total');
    expect(errorSeries.length).toBeGreaterThan(0);
    expect(errorSeries.filter((s) => /U0OBS/.test(s))).toEqual([]);
    for (const s of errorSeries) expect(s).toMatch(/method="[a-z]+\.[a-zA-Z.]+"/);
  });
});

describe('GET /healthz', () => {
  it('says the database is up and has no tick age before the first tick, then a small one after it', async () => {
    const first = await get('/healthz');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ ok: true, database: 'up', lastTickAgeSeconds: null });

    h.setNow(new Date('2026-12-16T12:00:00Z')); // a quiet Wednesday: the tick finds little to do
    const scheduler = startScheduler(h.deps, { cron: '0 0 1 1 *' }); // the cron never fires during the test
    try {
      await scheduler.tick();
      expect(scheduler.lastTickAt()).toBeInstanceOf(Date);
      const after = await get('/healthz');
      expect(after.status).toBe(200);
      const body = JSON.parse(after.body) as { ok: boolean; lastTickAgeSeconds: number; lastTickAt: string };
      expect(body.ok).toBe(true);
      expect(typeof body.lastTickAgeSeconds).toBe('number');
      expect(body.lastTickAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(body.lastTickAgeSeconds).toBeLessThan(5);
      const tickMetric = sample((await get('/metrics')).body, 'growthbot_last_tick_timestamp_seconds') ?? 0;
      expect(Math.abs(tickMetric - Date.now() / 1000)).toBeLessThan(5);
    } finally {
      await scheduler.stop();
    }
  });
});
