import type { LeasedDelivery } from '../db/deliveries.ts';
import { participationsByIds } from '../db/incidents.ts';
import type { DeliveryKind, IncidentParticipation } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { STILL_RELEVANT_MS } from '../growth/incidents.ts';
import { followUpMessage, reflectionMessage } from '../outbound/views/incident.ts';
import type { SlackMessage } from '../outbound/views/prompt-message.ts';
import { type ClaimCounts, claimDueIncidentDms } from '../services/incidents.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

export interface IncidentsReport {
  reflections: DeliverStats & ClaimCounts;
  followUps: DeliverStats & ClaimCounts;
}

/**
 * Claims each due reflection and follow-up (`services/incidents.ts`), then sends them like
 * every other DM. A paused member's are held, and sent after the pause while still relevant
 * (within 14 days of their time); past that they are recorded as skipped. Claims made while
 * active but never sent in time (the bot was down for two weeks) are recorded as missed.
 */
export async function runIncidents(deps: Deps, now: Date): Promise<IncidentsReport> {
  const { reflections, followUps } = await claimDueIncidentDms(deps, now);
  const report = {
    reflections: { ...reflections, ...(await send(deps, 'reflection', reflectionMessage, now)) },
    followUps: { ...followUps, ...(await send(deps, 'follow_up', followUpMessage, now)) },
  };
  deps.logger.info({ job: 'incidents', ...report }, 'incidents run');
  return report;
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
