import type { LeasedDelivery } from '../db/deliveries.ts';
import { mentorshipsSince, withMentorNow } from '../db/mentorships.ts';
import type { Deps } from '../deps.ts';
import { memberKey } from '../growth/member-key.ts';
import { mentorLeftMessage } from '../outbound/views/messages.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

const mentorshipOf = (row: LeasedDelivery) => row.ref.replace(/^mentorship:/, '');
/** A notice whose mentor was forgotten before it went out: the row keeps no trace of who they were. */
const forgotten = (row: LeasedDelivery) => row.ref.startsWith('forgotten:');

/**
 * Tells each mentee of someone who left (deactivated in Slack, or removed by an admin) that
 * their mentor left and how to name a new one. The claims are made where people leave
 * (`db/members.ts`, one per mentee and ended mentorship), so each mentee is told once whichever
 * instance sends it. A mentee who has named a new mentor since is not told; a paused one is
 * not either (no DMs while paused: `/growth me` shows no mentor when they are back). A mentor
 * forgotten (forget-me, admin forget) before the notice went out is not named: the notice
 * (`forgotten:` ref) says only that their mentor left.
 */
export async function runMentorLeft(deps: Deps, now: Date): Promise<DeliverStats> {
  let since = new Map<string, { mentorId: string; hasMentorNow: boolean }>();
  let mentored = new Set<string>();
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'mentor_left',
      cutoff: () => null,
      prepare: async (rows) => {
        since = await mentorshipsSince(deps.db, rows.filter((r) => !forgotten(r)).map(mentorshipOf));
        mentored = await withMentorNow(deps.db, rows.filter(forgotten));
      },
      render: (row) => {
        if (forgotten(row)) return mentored.has(memberKey(row.teamId, row.userId)) ? null : mentorLeftMessage(null);
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
