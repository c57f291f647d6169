// The lost-send check: before sending again a prompt whose earlier send may have arrived, the bot
// reads the DM with conversations.history. Slack may limit that method (1 a minute for some apps):
// a limited or failed look backs off and looks again later, and never sends without looking.
import { describe, expect, it } from 'vitest';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { claimPrompt, leaveSending, minutes, postPromptFor } from '../support/deliveries.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));

const promptsTo = (user: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        c.args.channel === user &&
        (c.args.metadata as { event_type?: string } | undefined)?.event_type === IDS.deliveryEvent,
    );
const lost = () =>
  h.deps.db.selectFrom('deliveries').selectAll().where('user_id', '=', 'UM00000').executeTakeFirstOrThrow();

/** UM00000's prompt was sent by a run that crashed before it recorded the send: it is in their DM, the row says `sending`. */
async function arrivedButUnrecorded(): Promise<void> {
  const id = await claimPrompt(h);
  await leaveSending(h, id);
  await postPromptFor(h, id);
}

describe('the lost-send check', () => {
  it('on ratelimited backs off by Retry-After without holding up the others, then finds the message: sent once', async () => {
    const ids = await seedMembers(h.deps.db, 4);
    await arrivedButUnrecorded();
    h.fake.failNext('conversations.history', { status: 429, retryAfter: 60 });
    const started = Date.now();
    await runWeeklyPrompts(h.deps, minutes(10));
    expect(Date.now() - started, 'the run waited out the limit').toBeLessThan(20_000);
    for (const id of ids.slice(1)) expect(promptsTo(id)).toHaveLength(1);
    expect(promptsTo('UM00000')).toHaveLength(1); // the one that arrived; nothing sent blind
    const waiting = await lost();
    expect(waiting.status).toBe('sending');
    expect(waiting.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(minutes(11).getTime());

    expect(await runWeeklyPrompts(h.deps, minutes(12))).toMatchObject({ found: 1, sent: 0 });
    expect(promptsTo('UM00000')).toHaveLength(1);
    expect(await lost()).toMatchObject({ status: 'sent', message_ts: expect.any(String) });
  }, 60_000);

  it('when the look fails (Slack 503), the next attempt looks again instead of sending blind', async () => {
    await seedMembers(h.deps.db, 1);
    await arrivedButUnrecorded();
    h.fake.failNext('conversations.history', { status: 503 });
    // The retry comes at once (its first back-off is 0), in the same run: it looks, and finds it.
    await runWeeklyPrompts(h.deps, minutes(10));
    expect(promptsTo('UM00000')).toHaveLength(1);
    expect(await lost()).toMatchObject({ status: 'sent' });
    expect(h.fake.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(2);
  }, 60_000);

  it('when the look still fails on the last attempt, gives up rather than send blind', async () => {
    await seedMembers(h.deps.db, 1);
    await arrivedButUnrecorded();
    await h.deps.db.updateTable('deliveries').set({ attempts: 5 }).where('user_id', '=', 'UM00000').execute();
    h.fake.failNext('conversations.history', { status: 503 }, 10);
    await runWeeklyPrompts(h.deps, minutes(10));
    expect(promptsTo('UM00000')).toHaveLength(1); // only the one that arrived
    expect(await lost()).toMatchObject({ status: 'failed', next_attempt_at: null });
  }, 60_000);
});
