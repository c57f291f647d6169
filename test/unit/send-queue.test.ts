import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SendQueue } from '../../src/outbound/send-queue.ts';

interface Warned {
  fields: Record<string, unknown>;
  msg: string;
}

function fakeLogger(warned: Warned[] = []) {
  return {
    warn(fields: Record<string, unknown>, msg: string) {
      warned.push({ fields, msg });
    },
    info() {},
    error() {},
    debug() {},
  } as never;
}

function queue(
  opts: { ratePerSecond: number; concurrency: number; maxRateLimitRetries?: number },
  warned?: Warned[],
): SendQueue {
  return new SendQueue({ ...opts, logger: fakeLogger(warned) });
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks (queue hand-offs) run. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

afterEach(() => {
  vi.useRealTimers();
});

describe('SendQueue pacing', () => {
  // Fake timers that never move: a call that waited for any timer would never start.
  it('with ratePerSecond 0 does not delay calls', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const q = queue({ ratePerSecond: 0, concurrency: 10 });
    const t0 = Date.now();
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => q.run(async () => (starts.push(Date.now()), i))));
    expect(starts).toEqual(Array.from({ length: 10 }, () => t0));
  });

  it('with ratePerSecond 0 and concurrency 1 runs sequential calls back to back', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    const t0 = Date.now();
    const done: number[] = [];
    for (let i = 0; i < 20; i++) done.push(await q.run(async () => i));
    expect(done).toHaveLength(20);
    expect(Date.now()).toBe(t0);
  });

  // On the queue's own clock (fake timers move Date and setTimeout together), so a busy machine
  // cannot make a start look early or late: the figures are exact.
  it('starts no more than ratePerSecond calls a second', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const R = 20;
    const N = 10;
    const q = queue({ ratePerSecond: R, concurrency: N });
    const t0 = Date.now();
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: N }, (_, i) => q.run(async () => (starts.push(Date.now() - t0), i))));
    await vi.advanceTimersByTimeAsync(((N - 1) / R) * 1000);
    // One slot every 1000 / R ms from the first call: never two in one slot, and no slot wasted.
    expect(starts).toEqual(Array.from({ length: N }, (_, i) => (i * 1000) / R));
    expect(await all).toEqual(Array.from({ length: N }, (_, i) => i));
  });

  it('does not bank idle time: after a quiet spell calls are still spaced', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const R = 20;
    const q = queue({ ratePerSecond: R, concurrency: 5 });
    await q.run(async () => 0);
    await vi.advanceTimersByTimeAsync(200);
    const t0 = Date.now();
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 5 }, () => q.run(async () => starts.push(Date.now() - t0))));
    await vi.advanceTimersByTimeAsync(200);
    expect(starts).toEqual([0, 50, 100, 150, 200]);
    await all;
  });
});

describe('SendQueue concurrency', () => {
  it('never has more than `concurrency` calls in flight, and uses all of them', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 3 });
    let inFlight = 0;
    let maxInFlight = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        q.run(async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await pause(15);
          inFlight--;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxInFlight).toBe(3);
    expect(q.depth).toBe(0);
  });

  it('frees the slot of a call that failed', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(q.depth).toBe(0);
    await expect(q.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('SendQueue depth', () => {
  it('counts calls waiting plus calls in flight', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    expect(q.depth).toBe(0);
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((g, i) => q.run(async () => (await g.promise, i)));
    expect(q.depth).toBe(3);

    gates[0]!.resolve();
    await runs[0];
    await settle();
    expect(q.depth).toBe(2);

    gates[1]!.resolve();
    gates[2]!.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(q.depth).toBe(0);
  });

  it('with spare concurrency counts only the calls in flight', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 8 });
    const gate = deferred();
    const runs = [q.run(() => gate.promise), q.run(() => gate.promise)];
    expect(q.depth).toBe(2);
    gate.resolve();
    await Promise.all(runs);
    expect(q.depth).toBe(0);
  });
});

describe('SendQueue and Slack rate limits', () => {
  it('retries a rate-limited call after Retry-After, and pauses the whole queue meanwhile', async () => {
    const warned: Warned[] = [];
    const q = queue({ ratePerSecond: 0, concurrency: 4 }, warned);
    const attempts: number[] = [];
    const t0 = Date.now();
    const limited = q.run(async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) throw new WebAPIRateLimitedError(1);
      return 'posted';
    }, 'prompt to U1');

    await pause(50);
    // Queued during the pause: it must not reach Slack before the pause is over.
    let otherStartedAt = 0;
    const other = q.run(async () => {
      otherStartedAt = Date.now();
      return 'other';
    });

    await expect(limited).resolves.toBe('posted');
    await expect(other).resolves.toBe('other');

    expect(attempts).toHaveLength(2);
    const retryDelay = attempts[1]! - attempts[0]!;
    expect(retryDelay).toBeGreaterThanOrEqual(950);
    expect(retryDelay).toBeLessThan(1500);
    expect(otherStartedAt - t0).toBeGreaterThanOrEqual(950);
    expect(warned).toHaveLength(1);
    expect(warned[0]!.fields).toMatchObject({ method: 'prompt to U1', retryAfterSeconds: 1, attempt: 1 });
  });

  it('treats an error shaped like Slack’s rate-limit error the same way', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    const attempts: number[] = [];
    const result = await q.run(async () => {
      attempts.push(Date.now());
      if (attempts.length === 1)
        throw Object.assign(new Error('429'), { code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(950);
  });

  it('also backs off on an ok:false "ratelimited" answer', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    const attempts: number[] = [];
    const result = await q.run(async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) throw new WebAPIPlatformError({ ok: false, error: 'ratelimited' });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up with the rate-limit error after maxRateLimitRetries retries', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 1, maxRateLimitRetries: 1 });
    let calls = 0;
    const err = new WebAPIRateLimitedError(1);
    const t0 = Date.now();
    await expect(
      q.run(async () => {
        calls++;
        throw err;
      }),
    ).rejects.toBe(err);
    expect(calls).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(q.depth).toBe(0);
  });

  it('by default tries a call 6 times (5 retries) before giving up', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    let calls = 0;
    const run = q.run(async () => {
      calls++;
      throw new WebAPIRateLimitedError(2);
    });
    const outcome = run.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBeInstanceOf(WebAPIRateLimitedError);
    expect(calls).toBe(6);
  });

  it('waits the Retry-After Slack asked for, not a fixed second', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    const attempts: number[] = [];
    const run = q.run(async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) throw new WebAPIRateLimitedError(30);
      return 'ok';
    });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(run).resolves.toBe('ok');
    expect(attempts[1]! - attempts[0]!).toBe(30_000);
  });

  it('lets other errors through at once, without retry or pause', async () => {
    const q = queue({ ratePerSecond: 0, concurrency: 1 });
    const refused = new WebAPIPlatformError({ ok: false, error: 'channel_not_found' });
    const plain = new Error('socket hang up');
    let calls = 0;
    const t0 = Date.now();
    await expect(q.run(async () => (calls++, Promise.reject(refused)))).rejects.toBe(refused);
    await expect(q.run(async () => (calls++, Promise.reject(plain)))).rejects.toBe(plain);
    await expect(q.run(async () => (calls++, 'after'))).resolves.toBe('after');
    expect(calls).toBe(3);
    expect(Date.now() - t0).toBeLessThan(100);
  });
});

describe('SendQueue with a shared pace', () => {
  const shared = (reserve: (ms: number) => Promise<number>) => ({ reserve, pause: vi.fn(async () => undefined) });

  it('waits for each slot the shared pace gives, not its own, and tells it of a 429', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    // Another instance holds the next 3 s: this one's slots come after them.
    const waits = [3_000, 3_500];
    const pace = shared(async () => waits.shift() ?? 0);
    const q = new SendQueue({ ratePerSecond: 2, concurrency: 2, logger: fakeLogger(), shared: pace });
    const t0 = Date.now();
    const starts: number[] = [];
    const all = Promise.all([1, 2].map(() => q.run(async () => starts.push(Date.now() - t0))));
    await vi.advanceTimersByTimeAsync(10_000);
    await all;
    // One slot at a time: the second is asked for once the first has started.
    expect(starts).toEqual([3_000, 6_500]);
    let tries = 0;
    const r = q.run(async () => {
      if (tries++ === 0) throw new WebAPIRateLimitedError(2);
      return 'ok';
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await r).toBe('ok');
    expect(pace.pause).toHaveBeenCalledWith(2_000);
  });

  it('paces itself alone, and says so once, while the shared pace cannot be reached', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const warned: Warned[] = [];
    const pace = shared(async () => {
      throw new Error('connection refused');
    });
    const q = new SendQueue({ ratePerSecond: 2, concurrency: 1, logger: fakeLogger(warned), shared: pace });
    const t0 = Date.now();
    const starts: number[] = [];
    const all = Promise.all([1, 2, 3].map(() => q.run(async () => starts.push(Date.now() - t0))));
    await vi.advanceTimersByTimeAsync(2_000);
    await all;
    expect(starts).toEqual([0, 500, 1_000]);
    expect(warned.map((w) => w.msg)).toEqual(['the shared send pace is unreachable: pacing this instance alone']);
  });
});
