import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, pino } from 'pino';
import { logContext } from './context.ts';

export type { Logger };

/**
 * Structured JSON logs. Tokens, secrets and what people wrote are redacted by key wherever
 * they appear, so a careless `{ body }` in a log call cannot leak them.
 */
const REDACT = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'text',
  '*.text',
  'answer',
  '*.answer',
  'body',
  '*.body',
  'err.data',
  'err.config',
  'err.request',
  'err.headers',
  'payload',
  '*.payload',
  'blocks',
  '*.blocks',
  // Postgres quotes a refused row in its error ("Failing row contains (…)"): what people wrote.
  'err.detail',
  'err.where',
  'err.parameters',
  'err.cause.detail',
  'err.original.detail',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'growthbot' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line says which request or job it belongs to.
      mixin: () => ({ ...logContext() }),
    },
    destination,
  );
}

const TO_PINO: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt and the Web API client log through this, so their lines join ours as JSON. */
export function boltLogger(parent: Logger): BoltLogger {
  let log = parent.child({ component: 'slack' });
  // Bolt's own info lines are chatty; they count as debug for us.
  const joined = (args: unknown[]) =>
    args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  // Slack's libraries log whole request and response bodies (tokens, what people wrote) at
  // debug: those go out only at LOG_LEVEL=trace, when an operator asked for everything.
  const at = (level: 'trace' | 'debug' | 'warn' | 'error', args: unknown[]) => {
    if (log.isLevelEnabled(level)) log[level](joined(args));
  };
  return {
    debug: (...args) => at('trace', args),
    info: (...args) => at('debug', args),
    warn: (...args) => at('warn', args),
    error: (...args) => at('error', args),
    setLevel: () => undefined, // our own LOG_LEVEL decides
    getLevel: () =>
      (Object.entries(TO_PINO).find(([, v]) => v === log.level)?.[0] as LogLevel | undefined) ?? LogLevel.INFO,
    setName: (name: string) => {
      log = parent.child({ component: name });
    },
  };
}
