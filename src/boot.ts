import { existsSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { type Config, loadConfig } from './config.ts';
import { createDb, type Db, type DbHandle } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { databaseFailure } from './errors.ts';
import { boltLogger, createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { keepAliveFetch } from './outbound/http-fetch.ts';
import { SendQueue } from './outbound/send-queue.ts';
import { databasePace } from './outbound/shared-pace.ts';
import { loadRubrics } from './rubrics/load.ts';
import type { Rubrics } from './rubrics/schema.ts';

export interface Booted {
  deps: Deps;
  dbHandle: DbHandle;
  /** The migrations this boot applied, e.g. `applied 202612010900_initial`. */
  migrations: string[];
}

/** The Web API client jobs send with. Retries are ours (see jobs/), so a timed-out send is never silently repeated. */
function jobClient(config: Config, logger: Logger): WebClient {
  return new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: boltLogger(logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    fetch: keepAliveFetch(),
  });
}

/**
 * Everything handlers and jobs need, built the same way by the bot, the CLI, the tests and
 * the benchmarks: one Slack client for jobs, one send queue, one metrics registry.
 */
export function makeDeps(p: {
  config: Config;
  logger: Logger;
  db: Db;
  rubrics: Rubrics;
  now?: () => Date;
  slackLogger?: Logger;
}): Deps {
  const metrics = createMetrics();
  const slack = jobClient(p.config, p.slackLogger ?? p.logger);
  const queue = new SendQueue({
    ratePerSecond: p.config.sendRatePerSecond,
    concurrency: 8,
    logger: p.logger,
    onError: (method, code) => metrics.slackErrors.inc({ method, code }),
    // Slack's limits are the workspace's: every instance on this database keeps one pace.
    shared: databasePace(p.db, slack),
  });
  metrics.watchQueue(() => queue.depth);
  return {
    db: p.db,
    config: p.config,
    logger: p.logger,
    rubrics: p.rubrics,
    slack,
    queue,
    metrics,
    now: p.now ?? (() => new Date()),
  };
}

/** Reads `.env` in the working folder when there is one; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Shared by the bot and the CLI: config, logger, database (migrated), rubrics and a Slack client. */
export async function boot(
  env: NodeJS.ProcessEnv = process.env,
  opts: { logger?: Logger; slackLogger?: Logger } = {},
): Promise<Booted> {
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
    // The first query is the migration: a DATABASE_URL that cannot be reached fails here.
    throw config.databaseUrl ? databaseFailure(config.databaseUrl, err) : err;
  }
  const deps = makeDeps({
    config,
    logger,
    db: dbHandle.db,
    rubrics,
    ...(opts.slackLogger ? { slackLogger: opts.slackLogger } : {}),
  });
  return { deps, dbHandle, migrations };
}
