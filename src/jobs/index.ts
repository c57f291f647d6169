import { newId, withLogContext } from '../context.ts';
import type { Deps } from '../deps.ts';
import { runDigests } from './digests.ts';
import { runFocusReviews } from './focus-reviews.ts';
import { runIncidents } from './incidents.ts';
import { runMentorLeft } from './mentor-left.ts';
import { runOncallFeeds } from './oncall-feeds.ts';
import { runOneOnOnes } from './one-on-ones.ts';
import { runRefreshTimezones } from './refresh-timezones.ts';
import { runReminders } from './reminders.ts';
import { runRetention } from './retention.ts';
import { runRetros } from './retros.ts';
import { runWeeklyPrompts } from './weekly-prompts.ts';

export type Job = (deps: Deps, now: Date) => Promise<object>;

/** Every job, by the name the CLI and the scheduler use; a tick runs them in this order. */
export const JOBS = {
  'refresh-timezones': (deps, now) => runRefreshTimezones(deps, now),
  // Right after the refresh, so a leaver it finds has their mentees told in the same tick.
  'mentor-left': runMentorLeft,
  // The scheduler runs it beside the others (scheduler.ts, BESIDE): prompts never wait for feeds.
  'oncall-feeds': (deps, now) => runOncallFeeds(deps, now),
  'weekly-prompts': (deps, now) => runWeeklyPrompts(deps, now),
  reminders: runReminders,
  digests: runDigests,
  incidents: runIncidents,
  retros: runRetros,
  'focus-reviews': runFocusReviews,
  'one-on-ones': runOneOnOnes,
  retention: (deps, now) => runRetention(deps, now),
} satisfies Record<string, Job>;

export type JobName = keyof typeof JOBS;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/**
 * Runs a job as the scheduler, the CLI and `/growth admin run` do: under a job id that every
 * log line carries, counted and timed in the metrics.
 */
export async function runJob(deps: Deps, name: JobName, now: Date): Promise<object> {
  const started = performance.now();
  return withLogContext({ job: name, jobId: newId() }, async () => {
    try {
      const report = await JOBS[name](deps, now);
      deps.metrics.jobRuns.inc({ job: name, outcome: 'ok' });
      return report;
    } catch (err) {
      deps.metrics.jobRuns.inc({ job: name, outcome: 'error' });
      throw err;
    } finally {
      deps.metrics.jobDuration.observe({ job: name }, (performance.now() - started) / 1000);
    }
  });
}

/** The jobs as `/growth admin run` sees them (the Slack side never imports this folder). */
export function jobRunner(deps: Deps): { names: readonly string[]; run(name: string, now: Date): Promise<object> } {
  return {
    names: Object.keys(JOBS),
    run: (name, now) => {
      if (!isJobName(name)) throw new Error(`no job named ${name}`);
      return runJob(deps, name, now);
    },
  };
}
