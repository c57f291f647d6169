import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { makeDeps } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import type { Deps } from '../../src/deps.ts';
import { jobRunner } from '../../src/jobs/index.ts';
import { createLogger } from '../../src/logger.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { createApp, type GrowthApp } from '../../src/slack/app.ts';
import { startPrivateServer } from '../../src/slack/health.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { dmMessage, type SendResult, type SlackRequest, send } from './slack-requests.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';

export interface Harness {
  baseUrl: string;
  /** Where /healthz and /metrics are (METRICS_PORT), apart from the Slack URL. */
  privateUrl: string;
  fake: FakeSlack;
  database: TestDatabase;
  deps: Deps;
  growth: GrowthApp;
  /** Every log line the app wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  /** Sends a request signed exactly as Slack signs it. */
  send(
    req: SlackRequest,
    opts?: { timestamp?: number; signature?: string | null; headers?: Record<string, string> },
  ): Promise<SendResult>;
  /** Sets the clock the app sees; undefined returns to real time. */
  setNow(at: Date | undefined): void;
  close(): Promise<void>;
}

/** The real HTTP app on a real database, talking to a fake Slack Web API on loopback. */
export interface HarnessOptions {
  databaseUrl?: (url: string) => string;
  /** Feeds may point at this machine (the tests' own feed servers); the product has no such setting. */
  loopbackFeeds?: boolean;
}

export async function startHarness(env: Record<string, string> = {}, opts: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  const database = await createTestDatabase();
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    DATABASE_URL: opts.databaseUrl ? opts.databaseUrl(database.url) : database.url,
    SEND_RATE_PER_SECOND: '0',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logger = createLogger(config.logLevel, sink);
  let fixedNow: Date | undefined;
  // The app's own connection (through a proxy, when a test wants to cut it); the harness keeps a direct one.
  const appDb = opts.databaseUrl ? await createDb({ databaseUrl: config.databaseUrl, dataDir: '' }) : null;
  const deps: Deps = makeDeps({
    config,
    logger,
    db: appDb?.db ?? database.db,
    rubrics: await loadRubrics(config.rubricsDir),
    now: () => fixedNow ?? new Date(),
  });
  if (opts.loopbackFeeds) deps.feedAccess = { allowLoopback: true };
  const growth = createApp(deps, { jobs: jobRunner(deps) });
  const port = await growth.start(0);
  const baseUrl = `http://127.0.0.1:${port}`;
  const internal = await startPrivateServer(deps, 0, '127.0.0.1');
  const privateUrl = `http://127.0.0.1:${internal.port}`;
  return {
    baseUrl,
    privateUrl,
    fake,
    database,
    deps,
    growth,
    logs,
    send: (req, opts = {}) => {
      // Slack issues a trigger id with each interaction; the stand-in accepts only ids it issued.
      const p = req.payload as { trigger_id?: unknown; user_id?: unknown; user?: { id?: unknown } };
      const user = p.user_id ?? p.user?.id;
      if (typeof p.trigger_id === 'string' && typeof user === 'string') fake.issueTrigger(user, p.trigger_id);
      return send(baseUrl, req, { secret: SIGNING_SECRET, ...opts });
    },
    setNow: (at) => {
      fixedNow = at;
    },
    async close() {
      await growth.stop();
      await internal.close();
      await appDb?.close();
      await database.close();
      await fake.close();
    },
  };
}

/**
 * One harness for a test file (it is slow to start), with a clean database and a fresh fake
 * Slack before each test: `let h: Harness; useHarness((x) => (h = x));`
 */
export function useHarness(
  set: (h: Harness) => void,
  env: Record<string, string> = {},
  opts: HarnessOptions = {},
): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(env, opts);
    set(h);
  });
  afterAll(async () => h?.close());
  beforeEach(async () => {
    await h!.database.truncate();
    h!.fake.reset();
  });
}

/** `user` writes `text` in their DM with the bot (the stand-in keeps it): its ts, and the event Slack then sends. */
export function writeInDm(h: Harness, user: string, text: string, extra: Record<string, unknown> = {}) {
  const m = h.fake.workspace.post({ channel: `D${user.slice(1)}`, from: 'user', user, text, ephemeral: false });
  return { ts: m.ts, req: dmMessage({ user, text, ts: m.ts, ...extra }) };
}
