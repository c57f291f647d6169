import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { KnownError } from './errors.ts';
import { STRETCH_EVERY_DEFAULT } from './growth/extra-prompts.ts';
import { compilePattern } from './growth/incidents.ts';
import { USER_ID } from './slack-ids.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const APP_PAGE = 'https://api.slack.com/apps → your app';

/** Where each variable comes from, so an error can say where to get it. */
const HELP: Record<string, string> = {
  SLACK_BOT_TOKEN: `the Bot User OAuth Token (xoxb-…) from ${APP_PAGE} → OAuth & Permissions`,
  SLACK_SIGNING_SECRET: `the Signing Secret from ${APP_PAGE} → Basic Information → App Credentials`,
  SLACK_APP_TOKEN: `an app-level token (xapp-…) with connections:write from ${APP_PAGE} → Basic Information → App-Level Tokens; leave unset for HTTP mode`,
  PORT: 'a TCP port number, e.g. 3000',
  METRICS_PORT: 'a TCP port number for /healthz and /metrics, apart from PORT, e.g. 9464',
  DATABASE_URL:
    'a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/growthbot; leave unset for the embedded database in DATA_DIR',
  DATA_DIR: 'a folder for the embedded database, e.g. ./data',
  SLACK_API_URL:
    'the base URL of the Slack Web API ending in /api/, e.g. https://slack.com/api/; leave unset for Slack itself',
  ADMIN_USER_IDS: 'comma-separated Slack user ids, e.g. U012ABC,U034DEF (profile → ⋮ → Copy member ID)',
  RUBRICS_DIR: 'a folder with junior.yaml, mid.yaml, senior.yaml, staff.yaml and shared.yaml',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  HTTP_KEEP_ALIVE_SECONDS:
    'seconds an idle HTTP connection stays open: above your load balancer\u2019s idle timeout (default 75; AWS ALB uses 60)',
  SEND_RATE_PER_SECOND: 'messages per second the jobs may send (default 3; 0 turns pacing off)',
  STRETCH_EVERY:
    'a whole number of weeks, e.g. 5: one prompt in that many reaches a level up (0 turns stretch prompts off)',
  RETENTION_DAYS:
    'a whole number of days, 30 or more, after which check-ins, retros, reflections, prompts, past shifts, replies, kudos, help requests, 1:1 agenda items and past focus areas are deleted, and people who left that long ago with everything about them; leave unset to keep everything',
  TICK_CRON: 'a cron expression for the scheduler tick, e.g. */5 * * * *',
  INCIDENT_CHANNEL_PATTERN:
    'a regular expression matched against channel names, e.g. ^inc-; leave unset to follow no incident channels',
  ONCALL_FEED_INTERVAL_MINUTES: 'how often each on-call feed is fetched, in minutes (default 30)',
  ONCALL_FEED_CONCURRENCY: 'how many on-call feeds are fetched at once (default 8)',
  ONCALL_FEED_ALLOW_PRIVATE:
    'true to let on-call feeds point at private network addresses, never loopback or link-local (default false)',
};

const flag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true');

const schema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required' })
    .regex(/^xoxb-/, 'must start with xoxb-')
    .refine((v) => v !== 'xoxb-', 'is still the placeholder from .env.example (xoxb- and nothing after it)'),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must start with xapp-')
    .optional(),
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(3000),
  METRICS_PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(9464),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SLACK_API_URL: z.url({ error: 'must be a URL' }).optional(),
  ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(USER_ID, 'must be Slack user ids like U012ABC'))),
  RUBRICS_DIR: z.string().min(1).default('./rubrics'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: 'is not a log level' }).default('info'),
  HTTP_KEEP_ALIVE_SECONDS: z.coerce.number({ error: 'must be a number' }).int().min(1).max(3600).default(75),
  SEND_RATE_PER_SECOND: z.coerce.number({ error: 'must be a number' }).min(0).max(100).default(3),
  STRETCH_EVERY: z.coerce.number({ error: 'must be a number' }).int().min(0).max(52).default(STRETCH_EVERY_DEFAULT),
  TICK_CRON: z.string().min(9).default('*/5 * * * *'),
  // 30 at least: older weeks' prompts and shifts can never be due again, so deleting their claims sends nothing twice.
  RETENTION_DAYS: z.coerce.number({ error: 'must be a number' }).int().min(30).max(36500).optional(),
  INCIDENT_CHANNEL_PATTERN: z
    .string()
    .max(200)
    .optional()
    .superRefine((s, ctx) => {
      const compiled = s === undefined ? undefined : compilePattern(s);
      if (typeof compiled === 'string')
        ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (${compiled})` });
    }),
  ONCALL_FEED_INTERVAL_MINUTES: z.coerce.number({ error: 'must be a number' }).int().min(5).max(1440).default(30),
  ONCALL_FEED_CONCURRENCY: z.coerce.number({ error: 'must be a number' }).int().min(1).max(64).default(8),
  ONCALL_FEED_ALLOW_PRIVATE: flag,
});

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
  };
  port: number;
  /** Where /healthz and /metrics are served: a port of their own, never behind the public Slack URL. */
  metricsPort: number;
  /** Idle keep-alive of the HTTP server; headers may take a little longer (see `createApp`). */
  keepAliveSeconds: number;
  databaseUrl: string | undefined;
  dataDir: string;
  adminUserIds: string[];
  rubricsDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  sendRatePerSecond: number;
  /** One prompt in this many is a stretch toward the next level; 0 = none. */
  stretchEvery: number;
  tickCron: string;
  /** Days after which history is deleted (jobs/retention.ts); undefined keeps everything. */
  retentionDays: number | undefined;
  /** Channels whose name matches are incident channels (issue 12); undefined: none are. */
  incidentChannelPattern: RegExp | undefined;
  oncallFeeds: { intervalMinutes: number; concurrency: number; allowPrivate: boolean };
}

export class ConfigError extends KnownError {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(
      `growthbot cannot start: ${problems.length === 1 ? 'a configuration problem' : `${problems.length} configuration problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Parses the environment once and reports every problem at once. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ name: String(i.path[0] ?? ''), message: i.message }));
  // Checked apart from the schema so that it is reported together with every other problem.
  if (!cleaned.SLACK_APP_TOKEN && !cleaned.SLACK_SIGNING_SECRET) {
    issues.push({ name: 'SLACK_SIGNING_SECRET', message: 'is required in HTTP mode (when SLACK_APP_TOKEN is unset)' });
  }
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(
      issues.map(({ name, message }) => `${name} ${message}. Set it to ${HELP[name] ?? 'a valid value'}.`),
    );
  }
  const e = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL === undefined ? undefined : e.SLACK_API_URL.replace(/\/?$/, '/'),
    },
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    keepAliveSeconds: e.HTTP_KEEP_ALIVE_SECONDS,
    databaseUrl: e.DATABASE_URL,
    dataDir: abs(e.DATA_DIR),
    adminUserIds: e.ADMIN_USER_IDS,
    rubricsDir: abs(e.RUBRICS_DIR),
    logLevel: e.LOG_LEVEL,
    sendRatePerSecond: e.SEND_RATE_PER_SECOND,
    stretchEvery: e.STRETCH_EVERY,
    tickCron: e.TICK_CRON,
    retentionDays: e.RETENTION_DAYS,
    incidentChannelPattern:
      e.INCIDENT_CHANNEL_PATTERN === undefined ? undefined : (compilePattern(e.INCIDENT_CHANNEL_PATTERN) as RegExp),
    oncallFeeds: {
      intervalMinutes: e.ONCALL_FEED_INTERVAL_MINUTES,
      concurrency: e.ONCALL_FEED_CONCURRENCY,
      allowPrivate: e.ONCALL_FEED_ALLOW_PRIVATE,
    },
  };
}
