import cron, { createTask, parse } from 'node-cron';
import type { Deps } from '../deps.ts';
import { DAY_MS } from '../growth/durations.ts';
import { JOBS, type JobName, runJob } from './index.ts';
import type { DueFor } from './next-due.ts';

export interface Scheduler {
  /** Runs every job once, now (what each cron tick does). */
  tick(): Promise<void>;
  /** When the last tick finished (wall clock), or null before the first. */
  lastTickAt(): Date | null;
  stop(): Promise<void>;
}

/**
 * What one tick does: every job once, in order, at `now` (each job reads the clock itself when
 * none is given). A job that fails (database down, even the clock) is logged and tried again next
 * tick; the others still run. Answers each job's report.
 */
export async function runTick(
  deps: Deps,
  names: JobName[] = Object.keys(JOBS) as JobName[],
  now?: Date,
): Promise<Record<string, unknown>> {
  const reports: Record<string, unknown> = {};
  for (const name of names) {
    const started = Date.now();
    try {
      reports[name] = await runJob(deps, name, now ?? deps.now());
    } catch (err) {
      reports[name] = { error: (err as Error).message };
      deps.logger.error(
        { err, job: name, ms: Date.now() - started },
        `job ${name} failed; it will run again next tick`,
      );
    }
  }
  return reports;
}

/** The first instant at or after `from` at which `cron` fires (whole seconds), or null within a year. */
export function nextCronTick(cron: string, from: Date): Date | null {
  const task = createTask(cron, () => undefined);
  try {
    const everySecond = parse(cron).second.length > 1;
    const step = everySecond ? 1000 : 60_000;
    let at = Math.ceil(from.getTime() / step) * step;
    for (const end = from.getTime() + 366 * DAY_MS; at <= end; at += step)
      if (task.match(new Date(at))) return new Date(at);
    return null;
  } finally {
    void task.destroy();
  }
}

/**
 * Runs, in order, every tick the cron would have run from `from` up to `to`, each through
 * runTick at its own instant (`at` is told first, to move a clock), as if the scheduler had
 * been running all along since `lastTick`. Ticks before the first instant of `due(last tick)`
 * are skipped: they would find nothing to do. After the first tick (every job), a tick runs, in
 * order, the jobs due by then (every job when `all` is), and those with no instant of their own
 * (`retention`): the others would find nothing to do either.
 */
export async function runTicksBetween(
  deps: Deps,
  span: { lastTick: Date; from: Date; to: Date },
  o: { due(after: Date): Promise<Map<DueFor, Date>>; at?(instant: Date): void; cron?: string },
): Promise<{ at: Date; jobs: JobName[]; reports: Record<string, unknown> }[]> {
  const ran: { at: Date; jobs: JobName[]; reports: Record<string, unknown> }[] = [];
  let last = span.lastTick;
  for (;;) {
    const due = await o.due(last);
    if (!due.size) break;
    const soonest = Math.min(...[...due.values()].map((d) => d.getTime()));
    const earliest = Math.max(soonest, last.getTime() + 1, span.from.getTime());
    const at = nextCronTick(o.cron ?? deps.config.tickCron, new Date(earliest));
    if (!at || at > span.to) break;
    const isDue = (job: DueFor) => (due.get(job)?.getTime() ?? Infinity) <= at.getTime();
    // The first tick runs every job: what people did since the last tick (joined, changed their
    // schedule, resumed) has no instant of its own, and a running scheduler would see it next tick.
    const first = !ran.length;
    const jobs = (Object.keys(JOBS) as JobName[]).filter(
      (j) => first || isDue('all') || isDue(j) || NO_INSTANT.includes(j),
    );
    o.at?.(at);
    ran.push({ at, jobs, reports: await runTick(deps, jobs, at) });
    last = at;
  }
  return ran;
}

/** Jobs `dueByJob` gives no instant of their own: every tick of a jump runs them (retention: once a day at most). */
const NO_INSTANT: readonly JobName[] = ['retention'];

/**
 * Jobs that run beside the others rather than before them: a tick's prompts never wait for them
 * (32 slow feeds held Monday's prompts 73 s when the feeds ran first in the same tick).
 */
export const BESIDE: readonly JobName[] = ['oncall-feeds'];

/**
 * node-cron is only a clock: it never catches up on missed ticks, so what is due is always
 * decided from the database and the time. A tick runs two lanes at once: the jobs in `BESIDE`,
 * and every other job in order. A lane still running when the next tick comes is not doubled
 * (the other lane runs as usual); a job that fails (database down) is logged and tried again
 * next tick.
 */
export function startScheduler(deps: Deps, opts: { cron?: string; jobs?: JobName[] } = {}): Scheduler {
  let last: Date | null = null;
  const names = opts.jobs ?? (Object.keys(JOBS) as JobName[]);
  const inOrder = names.filter((n) => !BESIDE.includes(n));
  const beside = names.filter((n) => BESIDE.includes(n));
  const running: { main: Promise<void> | null; beside: Promise<void> | null } = { main: null, beside: null };

  const lane = (which: 'main' | 'beside', work: () => Promise<void>): Promise<void> =>
    (running[which] ??= (async () => {
      try {
        await work();
      } finally {
        running[which] = null;
      }
    })());

  const tick = async () => {
    await Promise.all([
      lane('main', async () => {
        await runTick(deps, inOrder);
        last = new Date(); // wall-clock time of the tick itself, for health checks
        deps.metrics.tickCompleted(last);
      }),
      lane('beside', async () => {
        if (beside.length) await runTick(deps, beside);
      }),
    ]);
  };

  const task = cron.schedule(opts.cron ?? deps.config.tickCron, () => void tick(), {
    name: 'growthbot-tick',
    noOverlap: true,
  });
  return {
    tick,
    lastTickAt: () => last,
    async stop() {
      await task.stop();
      await Promise.all([running.main, running.beside]);
    },
  };
}
