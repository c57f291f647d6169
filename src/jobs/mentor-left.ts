import type { LeasedDelivery } from '../db/deliveries.ts';
import { mentorshipsSince } from '../db/mentorships.ts';
import type { Deps } from '../deps.ts';
import { mentorLeftMessage } from '../outbound/views/messages.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

const mentorshipOf = (row: LeasedDelivery) => row.ref.replace(/^mentorship:/, '');

/**
 * Tells each mentee of someone who left (deactivated in Slack, or removed by an admin) that
 * their mentor left and how to name a new one. The claims are made where people leave
 * (`db/members.ts`, one per mentee and ended mentorship), so each mentee is told once whichever
 * instance sends it. A mentee who has named a new mentor since is not told; a paused one is
 * not either (no DMs while paused: `/growth me` shows no mentor when they are back).
 */
export async function runMentorLeft(deps: Deps, now: Date): Promise<DeliverStats> {
  let since = new Map<string, { mentorId: string; hasMentorNow: boolean }>();
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'mentor_left',
      cutoff: () => null,
      prepare: async (rows) => {
        since = await mentorshipsSince(deps.db, rows.map(mentorshipOf));
      },
      render: (row) => {
        const m = since.get(mentorshipOf(row));
        return m && !m.hasMentorNow ? mentorLeftMessage(m.mentorId) : null;
      },
    },
    now,
  );
  if (stats.sent || stats.failed || stats.gaveUp || stats.skipped)
    deps.logger.info({ job: 'mentor-left', ...stats }, 'mentees told their mentor left');
  return stats;
}
