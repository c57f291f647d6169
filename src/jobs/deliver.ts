import { type DeliveryResult, type LeasedDelivery, leaseDue, recordResults } from '../db/deliveries.ts';
import type { DeliveryKind } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { IDS } from '../outbound/ids.ts';
import { QueueStoppedError, type SendQueue } from '../outbound/send-queue.ts';
import type { SlackMessage } from '../outbound/views/prompt-message.ts';
import { classifySlackError } from '../slack-errors.ts';

export interface DeliverStats {
  sent: number;
  failed: number;
  gaveUp: number;
  missed: number;
  skipped: number;
  /** Sends whose fate was unknown and that turned out to have arrived. */
  found: number;
}

type Outcomes = Map<string, keyof DeliverStats>;

export interface DeliverPlan {
  kind: DeliveryKind;
  /** After this instant the delivery is no longer worth sending (null: no cut-off). */
  cutoff(row: LeasedDelivery): Date | null;
  /** Loads what `render` needs for a leased batch, in a few queries for the whole batch. */
  prepare?(rows: LeasedDelivery[]): Promise<void>;
  /** The message, or null when there is nothing left to say (e.g. the prompt was answered). */
  render(row: LeasedDelivery): SlackMessage | null;
}

const MAX_ATTEMPTS = 6;
/** Wait before attempt n+1 (ms): the first retries come at once, in the same run. */
const BACKOFF_MS = [0, 0, 60_000, 5 * 60_000, 15 * 60_000];
const LEASE_MS = 5 * 60_000;
/**
 * Deliveries of a lease in hand at once: twice the send queue's calls in flight, so the queue
 * never waits for a message to be built, while the rest of the lease stays rows, not messages
 * (500 rendered messages and their pending calls at once survived into V8's old space).
 */
const IN_HAND = 16;

function leaseBatch(ratePerSecond: number): number {
  // Lease no more than the queue sends in two minutes, well inside the lease.
  return ratePerSecond > 0 ? Math.max(1, Math.min(500, Math.floor(ratePerSecond * 120))) : 500;
}

/**
 * Sends every due delivery of one kind: each was claimed once, is leased while it is sent,
 * and ends sent, missed (past its cut-off), skipped (nothing left to say), or failed. A send
 * whose fate is unknown (timeout, 5xx) is looked for in the DM before it is sent again.
 */
export async function deliverDue(deps: Deps, queue: SendQueue, plan: DeliverPlan, now: Date): Promise<DeliverStats> {
  // Each delivery's latest outcome in this run: a send retried within the run counts once, as it ended.
  const outcomes: Outcomes = new Map();
  const batch = leaseBatch(deps.config.sendRatePerSecond);
  for (let pass = 0; pass < 50 && !queue.stopped; pass++) {
    const rows = await leaseDue(deps.db, plan.kind, now, batch, LEASE_MS);
    if (!rows.length) break;
    await plan.prepare?.(rows);
    const results = await inTurn(rows, IN_HAND, (row) => deliverOne(deps, queue, plan, row, now, outcomes));
    await recordResults(deps.db, results, now);
  }
  const stats: DeliverStats = { sent: 0, failed: 0, gaveUp: 0, missed: 0, skipped: 0, found: 0 };
  for (const outcome of outcomes.values()) stats[outcome]++;
  for (const [outcome, n] of Object.entries(stats))
    if (n) deps.metrics.deliveries.inc({ kind: plan.kind, outcome: outcome === 'gaveUp' ? 'gave_up' : outcome }, n);
  return stats;
}

/** `work` over `items`, at most `width` at a time, the results in the items' order. */
async function inTurn<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

type Log = () => Deps['logger'];

async function deliverOne(
  deps: Deps,
  queue: SendQueue,
  plan: DeliverPlan,
  row: LeasedDelivery,
  now: Date,
  outcomes: Outcomes,
): Promise<DeliveryResult> {
  // Made only when there is something to say: most sends log nothing.
  const log: Log = () => deps.logger.child({ deliveryId: row.id, kind: row.kind, userId: row.userId, week: row.week });
  if (row.memberStatus !== 'active') {
    outcomes.set(row.id, 'skipped');
    return { id: row.id, status: 'skipped', error: `member ${row.memberStatus}` };
  }
  const cutoff = plan.cutoff(row);
  if (cutoff && now.getTime() > cutoff.getTime()) {
    outcomes.set(row.id, 'missed');
    log().info({ cutoff }, 'past its cut-off: marked missed, not sent');
    return { id: row.id, status: 'missed', error: 'past cut-off' };
  }
  const message = plan.render(row);
  if (!message) {
    outcomes.set(row.id, 'skipped');
    return { id: row.id, status: 'skipped' };
  }
  if (row.prevStatus === 'sending') {
    const found = await findSent(deps, queue, row);
    if (found === 'stopped') return { id: row.id, status: 'sending', nextAttemptAt: now };
    if (found && 'unknown' in found) {
      // Still `sending`: the next attempt looks again before it sends, never blind.
      const later = retryLater(row, now, 'could not check whether an earlier send arrived', outcomes, log);
      if (!later.nextAttemptAt) return later; // given up after MAX_ATTEMPTS
      const after = Math.max(later.nextAttemptAt.getTime(), now.getTime() + found.retryAfterMs);
      return { ...later, status: 'sending', nextAttemptAt: new Date(after) };
    }
    if (found) {
      outcomes.set(row.id, 'found');
      log().info('an earlier send had arrived; not sending again');
      return { id: row.id, status: 'sent', channel: found.channel, ts: found.ts };
    }
  }
  try {
    const res = await queue.run(
      () =>
        deps.slack.chat.postMessage({
          channel: row.userId,
          text: message.text,
          blocks: message.blocks,
          metadata: { event_type: IDS.deliveryEvent, event_payload: { delivery_id: row.id } },
        }),
      'chat.postMessage',
    );
    outcomes.set(row.id, 'sent');
    return { id: row.id, status: 'sent', channel: res.channel ?? null, ts: res.ts ?? null };
  } catch (err) {
    // Shutting down before this one's turn: it was never sent, so it goes back to the pile.
    if (err instanceof QueueStoppedError) return { id: row.id, status: 'claimed' };
    const f = classifySlackError(err);
    log().warn({ slackError: f.code, attempt: row.attempts }, `${row.kind} not sent`);
    if (f.kind === 'refused' && f.permanent) return giveUp(row, f.code, outcomes, log);
    const result = retryLater(row, now, f.code, outcomes, log);
    // Unknown fate: stay `sending`, so the next attempt looks before sending.
    return f.kind === 'unknown' && result.status === 'failed' && result.nextAttemptAt
      ? { ...result, status: 'sending' }
      : result;
  }
}

function retryLater(row: LeasedDelivery, now: Date, error: string, outcomes: Outcomes, log: Log): DeliveryResult {
  if (row.attempts >= MAX_ATTEMPTS) return giveUp(row, error, outcomes, log);
  outcomes.set(row.id, 'failed');
  const wait = BACKOFF_MS[Math.min(row.attempts - 1, BACKOFF_MS.length - 1)] ?? 0;
  return { id: row.id, status: 'failed', error, nextAttemptAt: new Date(now.getTime() + wait) };
}

function giveUp(row: LeasedDelivery, error: string, outcomes: Outcomes, log: Log): DeliveryResult {
  outcomes.set(row.id, 'gaveUp');
  log().error(
    { slackError: error, attempts: row.attempts },
    `giving up on this ${row.kind} after ${row.attempts} attempt(s)`,
  );
  return { id: row.id, status: 'failed', error, nextAttemptAt: null };
}

/**
 * Looks in the member's DM for a message carrying this delivery's id in its metadata.
 * Returns where it is, null when it is not there, or 'unknown' when Slack could not say.
 */
async function findSent(
  deps: Deps,
  queue: SendQueue,
  row: LeasedDelivery,
): Promise<{ channel: string; ts: string } | null | { unknown: true; retryAfterMs: number } | 'stopped'> {
  try {
    const open = await queue.run(() => deps.slack.conversations.open({ users: row.userId }), 'conversations.open');
    const channel = open.channel?.id;
    if (!channel) return { unknown: true, retryAfterMs: 0 };
    // The bot's DM holds a few messages a week: the latest hundred reach back well past the claim.
    // Slack may limit this method on its own (1 a minute for some apps): a 429 is not waited out
    // here, holding up every send, but comes back as 'look again after Retry-After'.
    const history = await queue.run(
      () => deps.slack.conversations.history({ channel, limit: 100, include_all_metadata: true }),
      'conversations.history',
      { rateLimitRetries: 0 },
    );
    const hit = history.messages?.find(
      (m) =>
        m.metadata?.event_type === IDS.deliveryEvent &&
        String((m.metadata?.event_payload as { delivery_id?: unknown } | undefined)?.delivery_id) === row.id,
    );
    return hit?.ts ? { channel, ts: hit.ts } : null;
  } catch (err) {
    if (err instanceof QueueStoppedError) return 'stopped';
    const f = classifySlackError(err);
    const retryAfterMs = f.kind === 'rate-limited' ? f.retryAfter * 1000 : 0;
    deps.logger.warn(
      { slackError: f.code, deliveryId: row.id, ...(retryAfterMs ? { retryAfterSeconds: retryAfterMs / 1000 } : {}) },
      'could not look for an earlier send; looking again before any resend',
    );
    return { unknown: true, retryAfterMs };
  }
}
