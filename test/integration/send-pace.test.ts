// One send pace for the workspace: two instances of the app on one database, sending to one fake
// Slack, together start no more calls a second than SEND_RATE_PER_SECOND, and a 429 that one of
// them meets pauses the other too. The figures are wall-clock times at the fake, with margins
// far from what two instances pacing alone would do (twice the rate, no pause).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb, type DbHandle } from '../../src/db/create-db.ts';
import { pauseSends, reserveSendSlot } from '../../src/db/send-pace.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { BOT_TOKEN } from '../support/harness.ts';

const RATE = 10;

let d: TestDatabase;
let fake: FakeSlack;
const handles: DbHandle[] = [];
const instances: Deps[] = [];
beforeAll(async () => {
  d = await createTestDatabase();
  fake = await startFakeSlack({ token: BOT_TOKEN });
  const rubrics = await loadRubrics('rubrics');
  for (let i = 0; i < 2; i++) {
    // Each instance has its own connection pool, as two processes would.
    const handle = await createDb({ databaseUrl: d.url, dataDir: '' });
    handles.push(handle);
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: fake.url,
      DATABASE_URL: d.url,
      SEND_RATE_PER_SECOND: String(RATE),
      LOG_LEVEL: 'silent',
    });
    instances.push(makeDeps({ config, logger: createLogger('silent'), db: handle.db, rubrics }));
  }
});
afterAll(async () => {
  for (const h of handles) await h.close();
  await d?.close();
  await fake?.close();
});
beforeEach(async () => {
  await d.truncate();
  fake.reset();
  fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin' });
});

/** Each instance sends `n` DMs through its queue, all at once, as a fan-out does. */
const fanOut = (n: number) =>
  Promise.all(
    instances.flatMap((deps, i) =>
      Array.from({ length: n }, (_, k) =>
        deps.queue.run(() => deps.slack.chat.postMessage({ channel: 'U0ANA', text: `${i}:${k}` }), 'chat.postMessage'),
      ),
    ),
  );
/** Every chat.postMessage that reached the fake, the refused ones too. */
const posts = () => fake.calls.filter((c) => c.method === 'chat.postMessage');
/** The most calls that started within any one second. */
const busiestSecond = (at: number[]) => Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1000).length));

describe('two instances, one workspace', () => {
  it(`together start at most ${RATE} calls in any second`, async () => {
    await fanOut(15);
    const at = posts().map((c) => c.at);
    expect(at).toHaveLength(30);
    // Alone, each would start 10 a second: 20 in a second between them, and done in 1.5 s. The
    // slots are 100 ms apart at the database; a call may reach the fake a little late on a busy
    // machine, so a second here may hold a call or two more than the rate.
    expect(busiestSecond(at)).toBeLessThanOrEqual(RATE + 3);
    expect(Math.max(...at) - Math.min(...at)).toBeGreaterThanOrEqual(2_500);
  });

  it('a 429 that one instance meets pauses both for its Retry-After', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    await fanOut(6);
    const calls = posts();
    const limited = calls.find((c) => c.failed);
    expect(limited).toBeDefined();
    expect(calls.filter((c) => !c.failed)).toHaveLength(12);
    // Whichever instance met it, neither starts a call during the pause (the other's one slot
    // taken before the 429 came back may still go out just after it).
    const during = calls.filter((c) => c.at > limited!.at + 300 && c.at < limited!.at + 900);
    expect(during).toEqual([]);
  });
});

describe.each(BACKENDS)('the pace row (%s)', (_name, create) => {
  let db: DbHandle;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => db?.close());

  it('gives slots one interval apart, and none inside a pause', async () => {
    expect(await reserveSendSlot(db.db, 'T1', 1_000)).toBe(0);
    const second = await reserveSendSlot(db.db, 'T1', 1_000);
    expect(second).toBeGreaterThan(800);
    expect(second).toBeLessThanOrEqual(1_000);
    // Another team's pace is its own.
    expect(await reserveSendSlot(db.db, 'T2', 1_000)).toBe(0);
    await pauseSends(db.db, 'T2', 5_000);
    expect(await reserveSendSlot(db.db, 'T2', 1_000)).toBeGreaterThan(4_800);
  });
});
