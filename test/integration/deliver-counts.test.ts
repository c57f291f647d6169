// What jobs/deliver.ts leaves for the operator: a run's report, /metrics (deliveries by outcome,
// Slack errors by method) and why a delivery waits or was not sent (deliveries.last_error).
import { describe, expect, it } from 'vitest';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { createMetrics } from '../../src/metrics.ts';
import { claimPrompt, leaveSending, MONDAY_0905, minutes, postPromptFor } from '../support/deliveries.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));

const row = () => h.deps.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
/** growthbot_slack_api_errors_total for a method and code (the harness's metrics, shared by the file's tests). */
const slackErrors = async (method: string, code: string) =>
  (await h.deps.metrics.slackErrors.get()).values.find((v) => v.labels.method === method && v.labels.code === code)
    ?.value ?? 0;

async function claimOne(attempts = 0): Promise<void> {
  await seedMembers(h.deps.db, 1);
  const id = await claimPrompt(h);
  if (attempts) await leaveSending(h, id, attempts);
}

describe('a send that keeps failing', () => {
  it('is reported failed, counted under failed and under chat.postMessage, and waits a minute after the third try', async () => {
    await claimOne();
    const metrics = createMetrics();
    const before = await slackErrors('chat.postMessage', 'http_503');
    h.fake.failNext('chat.postMessage', { status: 503 }, 3);
    expect(await runWeeklyPrompts({ ...h.deps, metrics }, MONDAY_0905)).toMatchObject({
      sent: 0,
      failed: 1,
      gaveUp: 0,
    });
    expect((await metrics.deliveries.get()).values.map((v) => [v.labels.outcome, v.value])).toEqual([['failed', 1]]);
    expect((await slackErrors('chat.postMessage', 'http_503')) - before).toBe(3);
    expect(await row()).toMatchObject({
      status: 'sending', // it may have arrived: the next try looks first
      attempts: 3,
      last_error: 'http_503',
      next_attempt_at: minutes(1),
    });
  });
});

describe('a look for an earlier send that fails', () => {
  it('is counted under its method, and the delivery says why it waits', async () => {
    await claimOne(3); // a lost send on its fourth try: the next wait is 5 minutes
    const open = await slackErrors('conversations.open', 'http_503');
    const history = await slackErrors('conversations.history', 'http_503');
    h.fake.failNext('conversations.open', { status: 503 });
    expect(await runWeeklyPrompts(h.deps, minutes(10))).toMatchObject({ sent: 0, failed: 1 });
    expect((await slackErrors('conversations.open', 'http_503')) - open).toBe(1);
    const why = 'could not check whether an earlier send arrived';
    expect(await row()).toMatchObject({
      status: 'sending',
      attempts: 4,
      last_error: why,
      next_attempt_at: minutes(15),
    });

    h.fake.failNext('conversations.history', { status: 503 });
    expect(await runWeeklyPrompts(h.deps, minutes(15))).toMatchObject({ sent: 0, failed: 1 });
    expect((await slackErrors('conversations.history', 'http_503')) - history).toBe(1);
    expect(await row()).toMatchObject({
      status: 'sending',
      attempts: 5,
      last_error: why,
      next_attempt_at: minutes(30),
    });
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('a claim past its cut-off', () => {
  it('is recorded missed, with why', async () => {
    await claimOne();
    expect(await runWeeklyPrompts(h.deps, new Date('2026-12-10T09:00:00Z'))).toMatchObject({ missed: 1, sent: 0 });
    expect(await row()).toMatchObject({ status: 'missed', last_error: 'past cut-off' });
  });
});

describe('an earlier send found in the DM', () => {
  it('is counted under found, not sent', async () => {
    await claimOne(1);
    await postPromptFor(h, (await row()).id);
    const metrics = createMetrics();
    expect(await runWeeklyPrompts({ ...h.deps, metrics }, minutes(10))).toMatchObject({ found: 1, sent: 0 });
    expect((await metrics.deliveries.get()).values.map((v) => [v.labels.outcome, v.value])).toEqual([['found', 1]]);
  });
});
