import type { Deps } from '../deps.ts';
import { runRefreshTimezones } from './refresh-timezones.ts';
import { runReminders } from './reminders.ts';
import { runWeeklyPrompts } from './weekly-prompts.ts';
import { runDigests } from './digests.ts';

export type Job = (deps: Deps, now: Date) => Promise<object>;

/** Every job, by the name the CLI and the scheduler use; a tick runs them in this order. */
export const JOBS = {
  'refresh-timezones': (deps, now) => runRefreshTimezones(deps, now),
  'weekly-prompts': runWeeklyPrompts,
  reminders: runReminders,
  digests: runDigests,
} satisfies Record<string, Job>;

export type JobName = keyof typeof JOBS;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
