import { afterEach, describe, expect, it } from 'vitest';
import { SendQueue } from '../../src/outbound/send-queue.ts';

const quiet = { warn() {}, info() {}, error() {}, debug() {} } as never;

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('SendQueue over a fan-out', () => {
  it('leaves no listener behind per paced send: 60 sends raise no MaxListenersExceededWarning', async () => {
    process.on('warning', onWarning);
    // 2,000 a second: every send after the first waits its ~0.5 ms slot, as a fan-out's do.
    const q = new SendQueue({ ratePerSecond: 2000, concurrency: 1, logger: quiet });
    let sent = 0;
    for (let i = 0; i < 60; i++) await q.run(async () => sent++);
    expect(sent).toBe(60);
    // Node reports the warning on a later turn of the event loop.
    await new Promise((r) => setTimeout(r, 20));
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  });

  it('still stops a send waiting for its slot after many paced sends', async () => {
    const q = new SendQueue({ ratePerSecond: 2000, concurrency: 1, logger: quiet });
    for (let i = 0; i < 20; i++) await q.run(async () => i);
    const slow = new SendQueue({ ratePerSecond: 1, concurrency: 1, logger: quiet });
    await slow.run(async () => 0);
    const waiting = slow.run(async () => 'sent');
    setTimeout(() => slow.stop(), 10);
    await expect(waiting).rejects.toMatchObject({ code: 'queue_stopped' });
  });
});
