import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FeedEvent, FeedFormatError } from './ical.ts';
import type { ParseAnswer, ParseJob } from './parse-worker.ts';

/** How long one feed may take to read, and the memory its reading may use. */
export const PARSE_BUDGET = { ms: 2_000, maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };
/** Starting the worker is not the feed's fault; on a loaded machine it may take a while. */
const START_MS = 30_000;
export const TOO_COMPLEX = 'the feed is too complex to read';

// Beside this module, with its extension: parse-worker.ts under tsx (development, tests),
// parse-worker.js once compiled.
const here = fileURLToPath(import.meta.url);
const workerFile = new URL(`./parse-worker${extname(here)}`, import.meta.url);
// A .ts worker needs tsx's loader registered in its own thread first.
const tsBoot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(workerFile.href)}); });`;

/**
 * Reads a feed in a worker thread, once per zone, within a time and memory budget: a feed whose
 * rules never end (a BYMONTHDAY=30 in February, a VTIMEZONE stepping every minute since 1970)
 * is stopped, and only that feed fails ("too complex to read"); the bot goes on.
 */
export function parseFeedBudgeted(
  text: string,
  window: { from: Date; to: Date },
  zones: string[],
  budget: { ms: number } = PARSE_BUDGET,
): Promise<FeedEvent[][]> {
  const data: ParseJob = { text, window, zones };
  const worker =
    extname(here) === '.ts'
      ? new Worker(tsBoot, { eval: true, workerData: data, resourceLimits: limits() })
      : new Worker(workerFile, { workerData: data, resourceLimits: limits() });
  return new Promise((resolve, reject) => {
    let started = false;
    let timer = setTimeout(() => stop(new Error('the feed reader did not start')), START_MS);
    const stop = (err: Error | null, events?: FeedEvent[][]) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
      if (err) reject(err);
      else resolve(events!);
    };
    worker.on('message', (m: 'ready' | ParseAnswer) => {
      if (m === 'ready') {
        started = true;
        clearTimeout(timer);
        timer = setTimeout(() => stop(new FeedFormatError(TOO_COMPLEX)), budget.ms);
      } else if ('ok' in m) stop(null, m.ok);
      else stop(new FeedFormatError(m.error));
    });
    // Out of memory (resourceLimits) ends the worker with an error; before it started, the
    // fault is ours, not the feed's (the job logs it).
    const fault = (code: string | undefined) => {
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') return new FeedFormatError(TOO_COMPLEX);
      return started ? new FeedFormatError('the feed could not be read') : new Error('the feed reader failed to start');
    };
    worker.on('error', (err: NodeJS.ErrnoException) => stop(fault(err.code)));
    worker.on('exit', () => stop(fault(undefined)));
  });
}

function limits() {
  return {
    maxOldGenerationSizeMb: PARSE_BUDGET.maxOldGenerationSizeMb,
    maxYoungGenerationSizeMb: PARSE_BUDGET.maxYoungGenerationSizeMb,
  };
}
