import { existsSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { loadConfig, type Config } from './config.ts';
import { createDb, type DbHandle } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { boltLogger, createLogger, type Logger } from './logger.ts';
import { loadRubrics } from './rubrics/load.ts';
import { SendQueue } from './jobs/send-queue.ts';

export interface Booted {
  deps: Deps;
  dbHandle: DbHandle;
  /** The migrations this boot applied, e.g. `applied 202612010900_initial`. */
  migrations: string[];
}

/** The Web API client jobs send with. Retries are ours (see jobs/), so a timed-out send is never silently repeated. */
export function jobClient(config: Config, logger: Logger): WebClient {
  return new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: boltLogger(logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
}

/** One queue per process for everything the jobs send. */
export function sendQueue(config: Config, logger: Logger): SendQueue {
  return new SendQueue({ ratePerSecond: config.sendRatePerSecond, concurrency: 8, logger });
}

/** Reads `.env` in the working folder when there is one; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Shared by the bot and the CLI: config, logger, database (migrated), rubrics and a Slack client. */
export async function boot(env: NodeJS.ProcessEnv = process.env, opts: { logger?: Logger } = {}): Promise<Booted> {
  const config = loadConfig(env);
  const logger = opts.logger ?? createLogger(config.logLevel);
  const rubrics = await loadRubrics(config.rubricsDir);
  const dbHandle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let migrations: string[];
  try {
    migrations = await migrateToLatest(dbHandle.db);
    for (const line of migrations) logger.info({ migration: line }, 'migration');
  } catch (err) {
    await dbHandle.close();
    throw err;
  }
  const deps: Deps = { db: dbHandle.db, config, logger, rubrics, slack: jobClient(config, logger), queue: sendQueue(config, logger), now: () => new Date() };
  return { deps, dbHandle, migrations };
}
