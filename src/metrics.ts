import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Everything growthbot measures, on its own registry (served at GET /metrics). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'growthbot_' });
  let lastTickAt: Date | null = null;
  let queueDepth: () => number = () => 0;
  const metrics = {
    registry,
    deliveries: new Counter({
      name: 'growthbot_deliveries_total',
      help: 'Prompts, reminders and digests by outcome (sent, found, failed, gave_up, missed, skipped)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    checkins: new Counter({
      name: 'growthbot_checkins_total',
      help: 'Check-ins recorded, by source (modal, command, dm)',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    checkinsNotSaved: new Counter({
      name: 'growthbot_checkins_not_saved_total',
      help: 'Check-ins handed back to the person because the database did not answer',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'growthbot_slack_api_errors_total',
      help: 'Failed Slack Web API calls, by method and Slack error code',
      labelNames: ['method', 'code'] as const,
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'growthbot_job_runs_total',
      help: 'Job runs by job and outcome (ok, error)',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'growthbot_job_duration_seconds',
      help: 'How long each job run took',
      labelNames: ['job'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    }),
    lastTick: new Gauge({
      name: 'growthbot_last_tick_timestamp_seconds',
      help: 'When the scheduler last completed a tick (unix seconds; 0 before the first)',
      registers: [registry],
      collect() {
        this.set(lastTickAt ? lastTickAt.getTime() / 1000 : 0);
      },
    }),
    queueDepth: new Gauge({
      name: 'growthbot_send_queue_depth',
      help: 'Messages waiting in or passing through the send queue',
      registers: [registry],
      collect() {
        this.set(queueDepth());
      },
    }),
    tickCompleted(at: Date) {
      lastTickAt = at;
    },
    lastTickAt: () => lastTickAt,
    watchQueue(depth: () => number) {
      queueDepth = depth;
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
