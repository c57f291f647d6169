import { adminHandlers, type JobRunner } from './admin-command.ts';
import { dataHandlers } from './data-command.ts';
import { focusHandlers } from './focus.ts';
import { basicHandlers } from './growth-command.ts';
import { incidentHandlers } from './incident-command.ts';
import { oncallHandlers } from './oncall-command.ts';
import { oneOnOneHandlers } from './one-on-one.ts';
import { privacyHandlers } from './privacy-command.ts';
import { scheduleHandlers } from './schedule-command.ts';
import { type Handlers } from './subcommand.ts';
import { summaryHandlers } from './summary-command.ts';

/**
 * Every `/growth` subcommand and its handler, in one table. The type is exhaustive: a kind added
 * to `GrowthCommand` in `parse.ts` without a handler here fails to compile.
 */
export function growthHandlers(jobs: JobRunner): Handlers {
  return {
    ...basicHandlers,
    ...scheduleHandlers,
    ...summaryHandlers,
    ...dataHandlers,
    ...privacyHandlers,
    ...oncallHandlers,
    ...adminHandlers(jobs),
    ...incidentHandlers,
    ...focusHandlers,
    ...oneOnOneHandlers,
  };
}
