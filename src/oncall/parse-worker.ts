// Runs in a worker thread (see parse-budget.ts): reads one feed in each zone asked for.
import { parentPort, workerData } from 'node:worker_threads';
import { type FeedEvent, FeedFormatError, parseFeed } from './ical.ts';

export interface ParseJob {
  text: string;
  window: { from: Date; to: Date };
  zones: string[];
}
export type ParseAnswer = { ok: FeedEvent[][] } | { error: string };

const job = workerData as ParseJob;
parentPort!.postMessage('ready');
let answer: ParseAnswer;
try {
  answer = { ok: job.zones.map((zone) => parseFeed(job.text, job.window, zone)) };
} catch (err) {
  // Only our own messages leave: anything else may quote the feed.
  answer = { error: err instanceof FeedFormatError ? err.message : 'the feed could not be read' };
}
parentPort!.postMessage(answer);
