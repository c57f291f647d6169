import { claimDeliveries, type LeasedDelivery } from '../db/deliveries.ts';
import {
  incidentRef,
  ONCE,
  type PendingParticipation,
  participationsByIds,
  pendingFollowUps,
  pendingReflections,
} from '../db/incidents.ts';
import type { DeliveryKind, IncidentParticipation } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { dueState, followUpDue, reflectionDue, STILL_RELEVANT_MS } from '../growth/incidents.ts';
import { followUpMessage, reflectionMessage } from '../outbound/views/incident.ts';
import type { SlackMessage } from '../outbound/views/prompt-message.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

export interface IncidentsReport {
  reflections: DeliverStats & { claimed: number; held: number; stale: number };
  followUps: DeliverStats & { claimed: number; held: number; stale: number };
}

type Claimable = { teamId: string; userId: string; week: string; ref: string };

/**
 * Claims each due reflection (and each follow-up of a reflection that named an action item),
 * once per member and incident, then sends them like every other DM. A paused member's
 * are held, and sent after the pause while still relevant (within 14 days of their time);
 * past that they are recorded as skipped. Claims made while active but never sent in time
 * (the bot was down for two weeks) are recorded as missed.
 */
export async function runIncidents(deps: Deps, now: Date): Promise<IncidentsReport> {
  const reflections = await claimDue(
    deps,
    'reflection',
    await pendingReflections(deps.db),
    (p) => reflectionDue(p, p.tz),
    now,
  );
  const followUps = await claimDue(
    deps,
    'follow_up',
    await pendingFollowUps(deps.db),
    (p) => followUpDue(p.reflectedAt!),
    now,
  );
  const report = {
    reflections: { ...reflections, ...(await send(deps, 'reflection', reflectionMessage, now)) },
    followUps: { ...followUps, ...(await send(deps, 'follow_up', followUpMessage, now)) },
  };
  deps.logger.info({ job: 'incidents', ...report }, 'incidents run');
  return report;
}

async function claimDue(
  deps: Deps,
  kind: DeliveryKind,
  pending: PendingParticipation[],
  dueOf: (p: PendingParticipation) => Date,
  now: Date,
) {
  const claim: Claimable[] = [];
  const stale: Claimable[] = [];
  let held = 0;
  for (const p of pending) {
    const state = dueState(dueOf(p), now);
    if (state === 'not-yet') continue;
    const item = { teamId: p.teamId, userId: p.userId, week: ONCE, ref: incidentRef(p.id) };
    if (state === 'stale') stale.push(item);
    else if (p.memberStatus === 'active') claim.push(item);
    else held++;
  }
  const claimed = await claimDeliveries(deps.db, kind, claim, now);
  // Recorded as skipped: held past their relevance (a long pause), so never sent.
  const stale_ = await claimDeliveries(deps.db, kind, stale, now, 'skipped');
  return { claimed, held, stale: stale_ };
}

async function send(
  deps: Deps,
  kind: DeliveryKind,
  render: (p: IncidentParticipation) => SlackMessage,
  now: Date,
): Promise<DeliverStats> {
  let loaded = new Map<string, IncidentParticipation>();
  const idOf = (row: LeasedDelivery) => row.ref.replace(/^incident:/, '');
  return deliverDue(
    deps,
    deps.queue,
    {
      kind,
      // Sent late (after downtime) while still relevant, as a held one would be.
      cutoff: (row) => new Date(row.claimedAt.getTime() + STILL_RELEVANT_MS),
      prepare: async (rows) => {
        loaded = await participationsByIds(deps.db, rows.map(idOf));
      },
      render: (row) => {
        const p = loaded.get(idOf(row));
        // Forgotten since the claim, or already reflected on (a reflection written some other way).
        if (!p || (kind === 'reflection' && p.reflectedAt)) return null;
        return render(p);
      },
    },
    now,
  );
}
