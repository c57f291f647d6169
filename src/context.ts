import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The request or job a log line belongs to, carried through every await without passing it. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  job?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export function logContext(): LogContext {
  return storage.getStore() ?? {};
}

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, fn);
}

export const newId = () => randomUUID().slice(0, 8);
