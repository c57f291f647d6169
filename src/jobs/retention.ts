import { deleteOlderThan, type RetentionCounts } from '../db/retention.ts';
import type { Deps } from '../deps.ts';
import { DAY_MS } from '../growth/durations.ts';

/** The UTC day each running bot (its deps) last ran retention, so a tick every 5 minutes deletes once a day. */
const lastRunDay = new WeakMap<Deps, string>();

export type RetentionReport = { skipped: string } | { retentionDays: number; cutoff: string; deleted: RetentionCounts };

/**
 * RETENTION_DAYS set: deletes check-ins, retros, reflections, prompts and their deliveries, and
 * shifts, replies, kudos, help requests and 1:1 agenda items older than that many days, focus areas of quarters
 * that ended before then, and people who left before then with
 * everything about them, once a UTC day per process (the CLI's `run retention` is a process of its own). Logs how many rows of each kind, never what they said. Unset: keeps everything.
 */
export async function runRetention(deps: Deps, now: Date): Promise<RetentionReport> {
  const days = deps.config.retentionDays;
  if (days === undefined) return { skipped: 'RETENTION_DAYS is unset: everything is kept' };
  const today = now.toISOString().slice(0, 10);
  if (lastRunDay.get(deps) === today) return { skipped: `already ran today (${today})` };
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const deleted = await deleteOlderThan(deps.db, cutoff);
  lastRunDay.set(deps, today);
  deps.logger.info(
    { retentionDays: days, cutoff: cutoff.toISOString(), deleted },
    `retention: deleted what is older than ${days} days`,
  );
  return { retentionDays: days, cutoff: cutoff.toISOString(), deleted };
}
