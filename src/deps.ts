import type { WebClient } from '@slack/web-api';
import type { Config } from './config.ts';
import type { Db } from './db/create-db.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { FetchOptions } from './oncall/feed-fetch.ts';
import type { SendQueue } from './outbound/send-queue.ts';
import type { Rubrics } from './rubrics/schema.ts';

/** Everything a handler or job needs, passed in rather than imported, so tests build their own. */
export interface Deps {
  db: Db;
  config: Config;
  logger: Logger;
  rubrics: Rubrics;
  /** The Web API client the jobs send with (handlers may use Bolt's own `client`). */
  slack: WebClient;
  /** Paces every message the jobs send (SEND_RATE_PER_SECOND, 429s). */
  queue: SendQueue;
  metrics: Metrics;
  now: () => Date;
  /**
   * How feeds are reached, beyond the configuration: the test harness and benches pass
   * `allowLoopback` for their own feed servers on this machine. Nothing in the product sets it.
   */
  feedAccess?: Pick<FetchOptions, 'allowLoopback' | 'resolve'>;
}
