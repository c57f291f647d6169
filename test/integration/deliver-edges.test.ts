// jobs/deliver.ts at its edges: how much one lease takes and how many leases one run takes, a
// send queue that stops before or during a run, what the look for an earlier send takes for
// that send, an error that says nothing was posted, the cut-off's last instant, and the counts
// in /metrics. weekly-prompts.test.ts and lost-send-check.test.ts hold the common cases.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { createMetrics } from '../../src/metrics.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { SendQueue } from '../../src/outbound/send-queue.ts';
import { claimPrompt, directClient, leaveSending, MONDAY_0905, minutes, postPromptFor } from '../support/deliveries.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));
// The calls since the test's setup (the fake's reset would also empty the DMs the setup filled).
let mark = 0;
beforeEach(() => {
  mark = 0;
});
const markNow = () => {
  mark = h.fake.calls.length;
};
const calls = (method?: string) => h.fake.calls.slice(mark).filter((c) => !method || c.method === method);

const isPrompt = (c: { args: Record<string, unknown> }) =>
  (c.args.metadata as { event_type?: string } | undefined)?.event_type === IDS.deliveryEvent;
const promptsTo = (user: string) =>
  calls('chat.postMessage').filter((c) => !c.failed && c.args.channel === user && isPrompt(c));
const looks = () => calls('conversations.history');
const deliveries = () => h.deps.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
const withConfig = (o: Partial<Deps['config']>): Deps => ({ ...h.deps, config: { ...h.deps.config, ...o } });
const newQueue = (concurrency = 8) => new SendQueue({ ratePerSecond: 0, concurrency, logger: h.deps.logger });

/** UM00000's prompt, claimed at 09:05 and left `sending` by a run that died: did it arrive? */
async function lostSend(): Promise<string> {
  const id = await claimPrompt(h);
  await leaveSending(h, id);
  return id;
}

/** The message a run posts for a delivery (what `lostSend`'s dead run may have posted). */
const promptFor = (deliveryId: string, eventType?: string) => postPromptFor(h, deliveryId, eventType);

describe('how much a run takes', () => {
  // SEND_RATE_PER_SECOND sizes a lease: two minutes of sends (at least 1, at most 500), and a
  // run takes at most 50 leases, so a slow pace leaves the rest to the next run.
  it.each([
    { pace: '0.01 a second', rate: 0.01, first: 50 }, // 1.2 sends in two minutes: one a lease, 50 leases
    { pace: '0.02 a second', rate: 0.02, first: 51 }, // 2.4: two a lease, 26 leases
    { pace: 'no pacing (0)', rate: 0, first: 51 }, // 500 a lease
  ])('at $pace, 51 due prompts: $first go out in the first run, the rest in the next', async ({ rate, first }) => {
    const ids = await seedMembers(h.deps.db, 51);
    expect(await runWeeklyPrompts(withConfig({ sendRatePerSecond: rate }), MONDAY_0905)).toMatchObject({
      claimed: 51,
      sent: first,
    });
    expect(ids.filter((id) => promptsTo(id).length === 1)).toHaveLength(first);
    expect((await runWeeklyPrompts(withConfig({ sendRatePerSecond: rate }), minutes(1))).sent).toBe(51 - first);
    for (const id of ids) expect(promptsTo(id)).toHaveLength(1);
  });

  it('sends a prompt claimed at the last instant of its cut-off (Wednesday 23:59:59.999 in Berlin)', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    const r = await runWeeklyPrompts(h.deps, new Date('2026-12-09T22:59:59.999Z'));
    expect(r).toMatchObject({ claimed: 1, sent: 1, missed: 0 });
    expect(promptsTo(ana!)).toHaveLength(1);
  });
});

describe('a send queue that stops', () => {
  it('before a run: nothing is leased, and the next run sends each prompt once without looking first', async () => {
    const [, ben] = await seedMembers(h.deps.db, 2);
    await lostSend(); // UM00000's prompt: maybe sent, never recorded
    await promptFor((await deliveries())[0]!.id); // and it did arrive
    markNow();
    const stopped = newQueue();
    stopped.stop();
    expect(await runWeeklyPrompts({ ...h.deps, queue: stopped }, minutes(10))).toMatchObject({ claimed: 1, sent: 0 });
    expect(calls()).toEqual([]);
    // Untouched: the claim is still only claimed, the lost send still `sending` with its one attempt.
    expect((await deliveries()).map((d) => [d.user_id, d.status, d.attempts])).toEqual([
      ['UM00000', 'sending', 1],
      [ben, 'claimed', 0],
    ]);
    expect(await runWeeklyPrompts(h.deps, minutes(11))).toMatchObject({ sent: 1, found: 1 });
    expect(looks()).toHaveLength(1); // for the lost send only
    expect(promptsTo(ben!)).toHaveLength(1);
    expect(promptsTo('UM00000')).toHaveLength(0);
  });

  it('during a send: the one in flight is sent, the others go back unsent and the next run sends them without looking', async () => {
    const ids = await seedMembers(h.deps.db, 3);
    const queue = newQueue(1);
    h.fake.failNext('chat.postMessage', { delayMs: 1_000 });
    const run = runWeeklyPrompts({ ...h.deps, queue }, MONDAY_0905);
    await h.fake.waitFor('chat.postMessage', 1, 60_000);
    queue.stop();
    expect(await run).toMatchObject({ claimed: 3, sent: 1, failed: 0 });
    const rows = await deliveries();
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ['sent', 1],
      ['claimed', 0],
      ['claimed', 0],
    ]);
    expect(rows[0]).toMatchObject({ channel: 'DM00000', message_ts: expect.any(String) });
    expect(await runWeeklyPrompts(h.deps, minutes(1))).toMatchObject({ sent: 2, found: 0 });
    expect(looks()).toEqual([]);
    for (const id of ids) expect(promptsTo(id)).toHaveLength(1);
  });

  it('during the look for an earlier send: the look is not counted as failed, and the next run looks again at once', async () => {
    await seedMembers(h.deps.db, 1);
    await promptFor(await lostSend());
    markNow();
    const queue = newQueue();
    h.fake.failNext('conversations.open', { delayMs: 1_000 });
    const run = runWeeklyPrompts({ ...h.deps, queue }, minutes(10));
    await h.fake.waitFor('conversations.open', 1, 60_000);
    queue.stop();
    expect(await run).toMatchObject({ sent: 0, failed: 0, gaveUp: 0, found: 0 });
    expect(looks()).toEqual([]); // stopped before it read the DM
    expect(await deliveries()).toMatchObject([{ status: 'sending', next_attempt_at: minutes(10) }]);
    // A minute on (well inside the 5-minute lease): due again, it looks, and finds the one that arrived.
    expect(await runWeeklyPrompts(h.deps, minutes(11))).toMatchObject({ found: 1, sent: 0 });
    expect(promptsTo('UM00000')).toHaveLength(0);
    expect(await deliveries()).toMatchObject([{ status: 'sent' }]);
  });
});

describe('the look for an earlier send', () => {
  it('is not fooled by last week’s prompt, a message without metadata, or another event carrying the same id', async () => {
    await seedMembers(h.deps.db, 1);
    const id = await lostSend(); // this one never arrived
    await promptFor(String(Number(id) + 1000)); // last week's prompt, another delivery
    await directClient(h).chat.postMessage({ channel: 'UM00000', text: 'Welcome to growthbot' });
    await promptFor(id, 'some_other_event');
    markNow();
    expect(await runWeeklyPrompts(h.deps, minutes(10))).toMatchObject({ found: 0, sent: 1, failed: 0 });
    expect(looks()).toHaveLength(1);
    const [sent] = promptsTo('UM00000');
    expect(sent!.args.metadata).toMatchObject({ event_payload: { delivery_id: id } });
    expect(await deliveries()).toMatchObject([{ status: 'sent', channel: 'DM00000' }]);
  });
});

describe('an error that says nothing was posted', () => {
  it('that may pass (ok:false, not permanent) is retried at once, without looking in the DM first', async () => {
    const [ana] = await seedMembers(h.deps.db, 1);
    h.fake.failNext('chat.postMessage', { error: 'service_unavailable' });
    expect(await runWeeklyPrompts(h.deps, MONDAY_0905)).toMatchObject({ sent: 1, failed: 0, gaveUp: 0 });
    expect(looks()).toEqual([]);
    expect(promptsTo(ana!)).toHaveLength(1);
    expect(await deliveries()).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });
});

describe('growthbot_deliveries_total', () => {
  it('counts each delivery once, by how it ended (gave_up so spelled), and no outcome that did not happen', async () => {
    await seedMembers(h.deps.db, 3);
    const metrics = createMetrics();
    h.fake.failNext('chat.postMessage', { error: 'account_inactive' });
    h.fake.failNext('chat.postMessage', { status: 503 });
    await runWeeklyPrompts({ ...h.deps, metrics }, MONDAY_0905);
    const counted = (await metrics.deliveries.get()).values.map((v) => [v.labels.kind, v.labels.outcome, v.value]);
    // One gave up, one failed once and then went out, one went out at once.
    expect(counted.sort()).toEqual([
      ['prompt', 'gave_up', 1],
      ['prompt', 'sent', 2],
    ]);
  });
});
