import { boot, loadDotEnv } from './boot.ts';
import { failureText } from './errors.ts';
import { jobRunner } from './jobs/index.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { createApp } from './slack/app.ts';
import { verifySlackToken } from './slack/auth.ts';
import { startPrivateServer } from './slack/health.ts';
import { withGrantedScopes } from './slack/scopes.ts';

/** How long a stop may take before in-flight work is abandoned (it is safe to: see jobs/README.md). */
const STOP_WITHIN_MS = 10_000;

// Wiring only: config → db → rubrics → slack app → listen → scheduler, and a clean stop on a signal.
async function main(): Promise<void> {
  loadDotEnv();
  const booted = await boot();
  const { dbHandle } = booted;
  const { logger, config } = booted.deps;
  const bot = await verifySlackToken(booted.deps).catch(async (err: unknown) => {
    await dbHandle.close();
    throw err;
  });
  // Optional scopes not granted: their feature is off (one log line says which).
  const deps = withGrantedScopes(booted.deps, bot.scopes);
  const growth = createApp(deps, { jobs: jobRunner(deps), botUserId: bot.botUserId, botId: bot.botId });
  const internal = await startPrivateServer(deps, config.metricsPort);
  const port = await growth.start(config.port);
  const scheduler = startScheduler(deps);
  const metricsPort = internal.port;
  const privately = `GET /healthz and GET /metrics on :${metricsPort}`;
  logger.info(
    { port, metricsPort, mode: config.slack.appToken ? 'socket' : 'http', database: dbHandle.kind },
    config.slack.appToken
      ? `growthbot connected over Socket Mode; ${privately}`
      : `growthbot listening on :${port} (POST /slack/events); ${privately}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests or ticks; finishing what is in flight');
    // Messages not yet on their way go back to their claims; sends in flight finish.
    deps.queue.stop();
    const bounded = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_WITHIN_MS).unref());
    const finished = await Promise.race([
      Promise.all([scheduler.stop(), growth.stop(), internal.close()]).then(() => 'done' as const),
      bounded,
    ]);
    if (finished === 'timeout')
      logger.warn({ withinMs: STOP_WITHIN_MS }, 'stop took too long; leaving the rest to the next start');
    try {
      await dbHandle.close();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean stop');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  // One sentence naming the setting to fix; a stack only for a bug.
  process.stderr.write(`${failureText(err, { slackApiUrl: process.env.SLACK_API_URL })}\n`);
  process.exit(1);
});
