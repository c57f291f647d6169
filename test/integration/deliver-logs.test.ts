// What jobs/deliver.ts tells the operator in its log when a delivery does not simply go out:
// which delivery (id, kind, member, week), what Slack said, which attempt, and how long Slack
// asked to wait. (Typed text never reaches these lines: they carry ids and codes only.)
import { beforeEach, describe, expect, it } from 'vitest';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { claimPrompt, leaveSending, MONDAY_0905, minutes, postPromptFor } from '../support/deliveries.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));
beforeEach(() => {
  h.logs.length = 0; // the harness keeps one log for the file
});

const logged = (msg: string) => h.logs.filter((l) => l.msg === msg);

/** UM00000's prompt, claimed at 09:05; with `lost`, left `sending` by a run that died after posting it. */
async function claimOne(lost = false): Promise<string> {
  await seedMembers(h.deps.db, 1);
  const id = await claimPrompt(h);
  if (lost) {
    await leaveSending(h, id);
    await postPromptFor(h, id);
  }
  return id;
}

const which = (id: string) => ({ deliveryId: id, kind: 'prompt', userId: 'UM00000', week: '2026-W50' });

describe('the delivery log', () => {
  it('a send Slack refuses: a warning with the code and attempt, then the giving up, each naming the delivery', async () => {
    const id = await claimOne();
    h.fake.failNext('chat.postMessage', { error: 'account_inactive' });
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(logged('prompt not sent')).toEqual([
      expect.objectContaining({ level: 40, ...which(id), slackError: 'account_inactive', attempt: 1 }),
    ]);
    expect(logged('giving up on this prompt after 1 attempt(s)')).toEqual([
      expect.objectContaining({ level: 50, ...which(id), slackError: 'account_inactive', attempts: 1 }),
    ]);
  });

  it('a claim past its cut-off: marked missed, with the cut-off', async () => {
    const id = await claimOne();
    await runWeeklyPrompts(h.deps, new Date('2026-12-10T09:00:00Z'));
    expect(logged('past its cut-off: marked missed, not sent')).toEqual([
      expect.objectContaining({ ...which(id), cutoff: '2026-12-09T22:59:59.999Z' }),
    ]);
  });

  it('an earlier send found: not sent again', async () => {
    const id = await claimOne(true);
    await runWeeklyPrompts(h.deps, minutes(10));
    expect(logged('an earlier send had arrived; not sending again')).toEqual([expect.objectContaining(which(id))]);
  });

  it('a look that Slack rate-limits: a warning with the code and how long Slack asked to wait', async () => {
    const id = await claimOne(true);
    h.fake.failNext('conversations.history', { status: 429, retryAfter: 60 });
    await runWeeklyPrompts(h.deps, minutes(10));
    expect(logged('could not look for an earlier send; looking again before any resend')).toEqual([
      expect.objectContaining({ level: 40, slackError: 'ratelimited', deliveryId: id, retryAfterSeconds: 60 }),
    ]);
  });

  it('a look that fails otherwise: the same warning, with no wait named', async () => {
    await claimOne(true);
    h.fake.failNext('conversations.history', { status: 503 });
    await runWeeklyPrompts(h.deps, minutes(10));
    const [warning] = logged('could not look for an earlier send; looking again before any resend');
    expect(warning).toMatchObject({ slackError: 'http_503' });
    expect(warning).not.toHaveProperty('retryAfterSeconds');
  });
});
