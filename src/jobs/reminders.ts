import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { claimDeliveries, claimKey, existingClaims } from '../db/deliveries.ts';
import { scheduledMembers, type ScheduledMember } from '../db/members-due.ts';
import { reminderCadence } from '../growth/cadence.ts';
import { cutoffs, dueAt } from './due.ts';
import { reminderMessage } from '../slack/views/prompt-message.ts';
import { deliverDue, type DeliverStats } from './deliver.ts';
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
  const due: (ScheduledMember & { week: string })[] = [];
  for (const m of await scheduledMembers(db, now)) {
    if (m.status !== 'active') continue;
    const cadence = reminderCadence(slotOf(m));
    if (!cadence) continue;
    const d = dueOf(m.tz, cadence.slot, cadence.cutoff);
    if (d.state === 'due') due.push({ ...m, week: d.week });
  }
  const existing = await existingClaims(db, 'reminder', due.map((m) => m.week));
  const need = due.filter((m) => !existing.has(claimKey(m.team_id, m.user_id, m.week)));
  let claimed = 0;
  if (need.length) {
    const json = JSON.stringify(need.map((m) => ({ team_id: m.team_id, user_id: m.user_id, week: m.week })));
    const open = await sql<{ id: string; team_id: string; user_id: string; week: string }>`
      select n.id, n.team_id, n.user_id, n.week
      from jsonb_to_recordset(${json}::jsonb) as k(team_id text, user_id text, week text)
      join nudges n on n.team_id = k.team_id and n.user_id = k.user_id and n.week = k.week
      join deliveries d on d.nudge_id = n.id and d.kind = 'prompt' and d.status = 'sent'
      where n.outcome = 'open'`.execute(db);
    claimed = await claimDeliveries(db, 'reminder', open.rows.map((n) => ({ teamId: n.team_id, userId: n.user_id, week: n.week, nudgeId: n.id })), now);
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
        return input && row.nudge_outcome === 'open' ? reminderMessage(input) : null;
      },
    },
    now,
  );
  const report = { claimed, ...stats };
  deps.logger.info({ job: 'reminders', ...report }, 'reminders run');
  return report;
}
