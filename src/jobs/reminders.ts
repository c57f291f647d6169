import { claimDeliveries, claimKey, existingClaims } from '../db/deliveries.ts';
import { type ScheduledMember, scheduledMembers } from '../db/members-due.ts';
import { openDeliveredNudges } from '../db/nudges.ts';
import type { Deps } from '../deps.ts';
import { reminderCadence } from '../growth/cadence.ts';
import { reminderMessage } from '../outbound/views/prompt-message.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';
import { cutoffs, dueAt } from './due.ts';
import { onCallNow, shiftsAround } from './oncall-week.ts';
import { promptInput, slotOf } from './weekly-prompts.ts';

export interface RemindersReport extends DeliverStats {
  claimed: number;
}

/**
 * One gentle reminder, three days after the prompt, only to members whose prompt this week
 * was delivered and is neither answered nor skipped.
 */
export async function runReminders(deps: Deps, now: Date): Promise<RemindersReport> {
  const { db } = deps;
  const dueOf = dueAt(now);
  const cutoffOf = cutoffs();
  // A stray non-member element has no key, shift or nudge: nothing is claimed or sent for it.
  // Stryker disable next-line ArrayDeclaration: equivalent (above)
  const due: (ScheduledMember & { week: string })[] = [];
  for (const m of await scheduledMembers(db, now)) {
    if (m.status !== 'active') continue;
    const cadence = reminderCadence(slotOf(m));
    if (!cadence) continue;
    const d = dueOf(m.tz, cadence.slot, cadence.cutoff);
    if (d.state === 'due') due.push({ ...m, week: d.week });
  }
  // Leaving out the members already claimed only saves queries: a second claim of the same kind, member
  // and week does nothing (unique key), so reading no claims, or not filtering by them, is equivalent.
  const existing = await existingClaims(
    db,
    // Stryker disable next-line StringLiteral: equivalent (above)
    'reminder',
    // Stryker disable next-line ArrowFunction: equivalent (above)
    due.map((m) => m.week),
  );
  // Stryker disable next-line MethodExpression: equivalent (above)
  const unclaimed = due.filter((m) => !existing.has(claimKey(m.teamId, m.userId, m.week)));
  // No reminder nags someone on call: their week's reminder is recorded as skipped.
  const shifts = unclaimed.length ? await shiftsAround(deps, now, 1) : new Map();
  const onCall = unclaimed.filter((m) => onCallNow(shifts, m, now));
  await claimDeliveries(
    db,
    'reminder',
    onCall.map((m) => ({ teamId: m.teamId, userId: m.userId, week: m.week })),
    now,
    'skipped',
  );
  // An on-call member's reminder was just claimed as skipped: claiming it again does nothing.
  // Stryker disable next-line MethodExpression: equivalent (above)
  const need = unclaimed.filter((m) => !onCallNow(shifts, m, now));
  let claimed = 0;
  // The guard saves two queries: for no one, openDeliveredNudges and claimDeliveries do nothing.
  // Stryker disable next-line ConditionalExpression: `true` is equivalent (above)
  if (need.length) {
    const open = await openDeliveredNudges(
      db,
      need.map((m) => ({ teamId: m.teamId, userId: m.userId, week: m.week })),
    );
    claimed = await claimDeliveries(
      db,
      'reminder',
      open.map((n) => ({ teamId: n.teamId, userId: n.userId, week: n.week, nudgeId: n.id })),
      now,
    );
  }
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'reminder',
      cutoff: (row) => {
        const cadence = reminderCadence(slotOf(row));
        return cadence ? cutoffOf(row.week, cadence.cutoff, row.tz) : null;
      },
      render: (row) => {
        const input = promptInput(deps, row);
        // Answered or skipped since the claim: nothing to remind about.
        return input && row.nudgeOutcome === 'open' ? reminderMessage(input) : null;
      },
    },
    now,
  );
  const report = { claimed, ...stats };
  // Stryker disable next-line ObjectLiteral,StringLiteral: log wording and fields (tests read the returned report)
  deps.logger.info({ job: 'reminders', ...report }, 'reminders run');
  return report;
}
