import type { Server } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import { newId, withLogContext } from '../context.ts';
import type { Deps } from '../deps.ts';
import { boltLogger } from '../logger.ts';
import { quickWrites } from '../services/typed-checkins.ts';
import type { JobRunner } from './admin-command.ts';
import { guardBodies } from './body-guard.ts';
import { registerCheckin } from './checkin.ts';
import { registerDataActions } from './data-command.ts';
import { registerDm } from './dm.ts';
import { registerFocus } from './focus.ts';
import { registerGrowthCommand } from './growth-command.ts';
import { growthHandlers } from './growth-table.ts';
import { publishHome, registerHome } from './home.ts';
import { HomeRefresher } from './home-refresher.ts';
import { registerIncidentActions } from './incident-command.ts';
import { registerIncidentEvents } from './incident-events.ts';
import { registerLeavers } from './leavers.ts';
import { registerMentoring } from './mentoring.ts';
import { registerNudgeActions } from './nudge-actions.ts';
import { registerOneOnOne } from './one-on-one.ts';
import { registerRetro } from './retro.ts';

export interface GrowthApp {
  app: App;
  /** Starts listening; resolves with the HTTP port actually bound (useful with port 0). */
  /** `host` limits where it listens (e.g. 127.0.0.1); every interface by default. */
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface AppOptions {
  /** The jobs `/growth admin run` may start (slack/ never imports jobs/; `main.ts` passes them in). */
  jobs: JobRunner;
  /** Given together, Bolt skips its own `auth.test` at start. */
  botUserId?: string;
  botId?: string;
}

/** Builds the Bolt app with every surface registered. `main.ts` and the end-to-end tests both start this. */
export function createApp(deps: Deps, opts: AppOptions): GrowthApp {
  const { config } = deps;
  const socketMode = Boolean(config.slack.appToken);
  const logger = boltLogger(deps.logger);
  let receiver: HTTPReceiver | undefined;
  if (!socketMode) {
    receiver = new HTTPReceiver({ signingSecret: config.slack.signingSecret!, logger });
    // A signed body that parses to JSON null (or a number, a string, an array) gets 400 here:
    // in Bolt's receiver it throws outside any handler and ends the process.
    receiver.requestListener = guardBodies(receiver.requestListener, config.slack.signingSecret!);
  }
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode ? { socketMode: true, appToken: config.slack.appToken } : { receiver }),
    logger,
    // Handlers answer within Slack's 3 s: their own Web API calls get one quick retry at most.
    clientOptions: {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
      timeout: 2_500,
    },
    ...(opts.botUserId && opts.botId ? { botUserId: opts.botUserId, botId: opts.botId } : {}),
    // /healthz and /metrics are not here: they have a port of their own (health.ts, METRICS_PORT).
  });

  // Every log line written while handling a request carries its id.
  app.use(async ({ next }) => withLogContext({ requestId: newId() }, next));

  registerGrowthCommand(app, deps, growthHandlers(opts.jobs));
  registerDataActions(app, deps);
  const homes = new HomeRefresher(deps, app.client, publishHome);
  // Typed check-ins from /checkin and from the DM share one batcher: arriving together, one round trip.
  const writes = quickWrites(deps.db);
  registerCheckin(app, deps, homes, writes);
  registerNudgeActions(app, deps);
  registerHome(app, deps, homes);
  registerFocus(app, deps, homes);
  registerOneOnOne(app, deps);
  registerIncidentActions(app, deps);
  registerIncidentEvents(app, deps);
  registerDm(app, deps, homes, writes);
  registerRetro(app, deps);
  registerLeavers(app, deps);
  registerMentoring(app, deps, homes);

  app.error(async (err) => {
    deps.logger.error({ err, code: (err as { code?: string }).code }, 'unhandled error in a Slack handler');
  });

  return {
    app,
    async start(port, host) {
      const server = (await (host ? app.start({ port, host }) : app.start(port))) as Server | undefined;
      if (server) {
        // Behind a load balancer that keeps idle connections 60 s, Node's default 5 s closes them
        // first and the balancer's next request fails (Slack shows dispatch_failed).
        server.keepAliveTimeout = config.keepAliveSeconds * 1000;
        server.headersTimeout = server.keepAliveTimeout + 5_000;
      }
      const address = server?.address?.();
      return typeof address === 'object' && address ? address.port : port;
    },
    async stop() {
      await app.stop();
    },
  };
}
