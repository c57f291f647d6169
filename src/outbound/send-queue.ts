import type { Logger } from '../logger.ts';
import { classifySlackError } from '../slack-errors.ts';

export interface SendQueueOptions {
  /** Calls started per second; 0 turns pacing off. */
  ratePerSecond: number;
  /** Calls in flight at once. */
  concurrency: number;
  logger: Logger;
  /** How many 429s one call may meet before it fails. */
  maxRateLimitRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of every failed call (by what was called and the Slack error code), for metrics. */
  onError?: (method: string, code: string) => void;
  /**
   * The workspace's pace shared with every other instance (`shared-pace.ts`): slots and 429
   * pauses come from it, so all instances together keep to `ratePerSecond`. Unset, or while it
   * cannot be reached, this queue paces itself alone.
   */
  shared?: SharedPace;
}

/** A pace kept outside the process (the database), shared by every instance that sends. */
export interface SharedPace {
  /** Takes the next free slot, `intervalMs` after the last one any instance took; ms to wait for it. */
  reserve(intervalMs: number): Promise<number>;
  /** Pauses every instance's sends for `ms`. */
  pause(ms: number): Promise<void>;
}

/** Thrown for a call that had not started when the queue was stopped: it was never sent. */
export class QueueStoppedError extends Error {
  readonly code = 'queue_stopped';
  constructor() {
    super('the send queue is stopping; this call was not made');
  }
}

/**
 * The one road out to Slack for fan-out: starts at most `ratePerSecond` calls a second with
 * at most `concurrency` in flight. A 429 means Slack did not take the call, so the whole
 * queue waits `Retry-After` and the same call is made again; nothing is lost or doubled.
 * Other errors are the caller's to judge (see classifySlackError). With `shared`, the rate
 * and the 429 pauses are the workspace's, across every instance.
 */
export class SendQueue {
  private inFlight = 0;
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private nextStartAt = 0;
  private pausedUntil = 0;
  /** Shared slots are taken and waited for one at a time: each instance holds at most one ahead. */
  private sharedTurn: Promise<void> = Promise.resolve();
  private sharedDownSince = 0;
  private readonly stopping = new AbortController();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: SendQueueOptions) {
    this.sleep =
      opts.sleep ??
      ((ms) =>
        new Promise<void>((resolve, reject) => {
          const signal = this.stopping.signal;
          if (signal.aborted) return reject(new QueueStoppedError());
          // The listener goes when the wait ends either way: one per paced send would pile up over a fan-out.
          const onStop = () => (clearTimeout(t), reject(new QueueStoppedError()));
          const t = setTimeout(() => (signal.removeEventListener('abort', onStop), resolve()), ms);
          signal.addEventListener('abort', onStop, { once: true });
        }));
  }

  /**
   * Graceful shutdown: calls in flight finish; calls still waiting for their turn fail with
   * QueueStoppedError (they were never sent), so their owners can hand them back.
   */
  stop(): void {
    this.stopping.abort();
    for (const w of this.waiting.splice(0)) w.reject(new QueueStoppedError());
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Calls waiting for their turn plus calls in flight. */
  get depth(): number {
    return this.waiting.length + this.inFlight;
  }

  /**
   * `rateLimitRetries` 0 hands a 429 straight back to the caller without pausing the queue: for
   * a method with a limit of its own (conversations.history), whose caller can come back later.
   */
  async run<T>(call: () => Promise<T>, method = 'unnamed', opts: { rateLimitRetries?: number } = {}): Promise<T> {
    if (this.stopped) throw new QueueStoppedError();
    await this.acquire();
    try {
      for (let limited = 0; ; limited++) {
        await this.pace();
        if (this.stopped) throw new QueueStoppedError();
        try {
          return await call();
        } catch (err) {
          const f = classifySlackError(err);
          this.opts.onError?.(method, f.code);
          const retries = opts.rateLimitRetries ?? this.opts.maxRateLimitRetries ?? 5;
          if (f.kind !== 'rate-limited' || limited >= retries) throw err;
          const waitMs = f.retryAfter * 1000;
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
          this.opts.logger.warn(
            { method, retryAfterSeconds: f.retryAfter, attempt: limited + 1 },
            'Slack rate limit: pausing sends',
          );
          await this.shared((p) => p.pause(waitMs));
        }
      }
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.opts.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.inFlight--;
  }

  /** Waits out a rate-limit pause, then for this call's start slot. */
  private async pace(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.opts.ratePerSecond <= 0) return;
      const interval = 1000 / this.opts.ratePerSecond;
      if (!this.opts.shared || !(await this.sharedSlot(interval))) {
        const at = Date.now();
        const startAt = Math.max(at, this.nextStartAt);
        this.nextStartAt = startAt + interval;
        if (startAt > at) await this.sleep(startAt - at);
      }
      // A 429 may have paused the queue while this call waited for its slot.
      if (Date.now() < this.pausedUntil) continue;
      return;
    }
  }

  /**
   * Takes a slot from the shared pace and waits for it; false when the pace cannot be reached.
   * One at a time: each instance holds at most one slot ahead, so after a 429 elsewhere at most
   * one call per other instance still goes out before the pause reaches it.
   */
  private async sharedSlot(interval: number): Promise<boolean> {
    const prev = this.sharedTurn;
    let done!: () => void;
    this.sharedTurn = new Promise((resolve) => (done = resolve));
    await prev;
    try {
      const wait = await this.shared((p) => p.reserve(interval));
      if (wait === undefined) return false;
      if (wait > 0) await this.sleep(wait);
      return true;
    } finally {
      done();
    }
  }

  /** A call to the shared pace; undefined when it cannot be reached (this queue then paces alone). */
  private async shared<T>(call: (p: SharedPace) => Promise<T>): Promise<T | undefined> {
    if (!this.opts.shared) return undefined;
    try {
      const r = await call(this.opts.shared);
      this.sharedDownSince = 0;
      return r;
    } catch (err) {
      if (!this.sharedDownSince) {
        this.sharedDownSince = Date.now();
        this.opts.logger.warn({ err }, 'the shared send pace is unreachable: pacing this instance alone');
      }
      return undefined;
    }
  }
}
