import { claimDeliveries, type LeasedDelivery } from '../db/deliveries.ts';
import { ONCE } from '../db/incidents.ts';
import { shiftRef, shiftsAwaitingRetro, shiftsByIds } from '../db/retros.ts';
import type { Deps } from '../deps.ts';
import { RETRO_RELEVANT_MS, retroDue } from '../growth/oncall.ts';
import { retroMessage } from '../outbound/views/retro.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

export interface RetrosReport extends DeliverStats {
  claimed: number;
  held: number;
  stale: number;
}

/**
 * Within a day after each shift ends, one retro DM per member and shift (claimed like every
 * DM, so re-runs and instances send it once). A paused member's is held and sent after the
 * pause if the shift ended less than three days before; otherwise it is recorded as skipped.
 */
export async function runRetros(deps: Deps, now: Date): Promise<RetrosReport> {
  const pending = await shiftsAwaitingRetro(deps.db, new Date(now.getTime() - 2 * RETRO_RELEVANT_MS), now);
  const claim: { teamId: string; userId: string; week: string; ref: string }[] = [];
  const stale: typeof claim = [];
  const seen = new Set<string>();
  let held = 0;
  for (const s of pending) {
    // The same shift from two feeds (their own and a schedule's) is one retro.
    const same = `${s.team_id}|${s.user_id}|${s.starts_at.getTime()}|${s.ends_at.getTime()}`;
    const item = { teamId: s.team_id, userId: s.user_id, week: ONCE, ref: shiftRef(s.id) };
    if (seen.has(same)) {
      stale.push(item);
      continue;
    }
    seen.add(same);
    if (now < retroDue(s.ends_at, s.tz)) continue;
    if (now.getTime() - s.ends_at.getTime() > RETRO_RELEVANT_MS) stale.push(item);
    else if (s.member_status === 'active') claim.push(item);
    else held++;
  }
  const claimed = await claimDeliveries(deps.db, 'retro', claim, now);
  const staleCount = await claimDeliveries(deps.db, 'retro', stale, now, 'skipped');

  let shifts = new Map<string, { id: string; user_id: string; starts_at: Date; ends_at: Date }>();
  const idOf = (row: LeasedDelivery) => row.ref.replace(/^shift:/, '');
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'retro',
      cutoff: (row) => new Date(row.claimed_at.getTime() + RETRO_RELEVANT_MS),
      prepare: async (rows) => {
        shifts = await shiftsByIds(deps.db, rows.map(idOf));
      },
      render: (row) => {
        const s = shifts.get(idOf(row));
        return s ? retroMessage(s, row.tz) : null;
      },
    },
    now,
  );
  const report = { claimed, held, stale: staleCount, ...stats };
  deps.logger.info({ job: 'retros', ...report }, 'retros run');
  return report;
}
