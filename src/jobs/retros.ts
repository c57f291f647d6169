import { claimDeliveries, type LeasedDelivery } from '../db/deliveries.ts';
import { ONCE } from '../db/incidents.ts';
import { shiftRef, shiftsAwaitingRetro } from '../db/retros.ts';
import { memberShiftsBetween } from '../db/shifts.ts';
import type { Deps } from '../deps.ts';
import { groupBy } from '../growth/group-by.ts';
import { memberKey } from '../growth/member-key.ts';
import { RETRO_RELEVANT_MS, retroDue, STRETCH_LOOKAROUND_MS, stretchOf } from '../growth/oncall.ts';
import { retroMessage } from '../outbound/views/retro.ts';
import { retroStretch } from '../services/retros.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

export interface RetrosReport extends DeliverStats {
  claimed: number;
  held: number;
  stale: number;
}

/**
 * Within a day after each on-call stretch ends, one retro DM per member and stretch (claimed
 * like every DM, so re-runs and instances send it once). Overlapping or back-to-back shifts (a
 * primary and a secondary, the same shift in two feeds, daily segments) are one stretch, named
 * by its first shift; the others' claims are recorded as skipped. A paused member's is held and
 * sent after the pause if the stretch ended less than three days before; otherwise skipped.
 */
export async function runRetros(deps: Deps, now: Date): Promise<RetrosReport> {
  const pending = await shiftsAwaitingRetro(deps.db, new Date(now.getTime() - 2 * RETRO_RELEVANT_MS), now);
  const claim: { teamId: string; userId: string; week: string; ref: string }[] = [];
  const stale: typeof claim = [];
  const seen = new Set<string>();
  let held = 0;
  // The pending members' shifts around, in one query: each pending shift's stretch is made of them.
  const earliest = Math.min(...pending.map((s) => s.startsAt.getTime()));
  const shiftsOf = groupBy(
    await memberShiftsBetween(
      deps.db,
      [
        ...new Map(
          pending.map((s) => [memberKey(s.teamId, s.userId), { teamId: s.teamId, userId: s.userId }]),
        ).values(),
      ],
      { from: new Date(earliest - STRETCH_LOOKAROUND_MS), to: new Date(now.getTime() + STRETCH_LOOKAROUND_MS) },
    ),
    (sh) => memberKey(sh.teamId, sh.userId),
  );
  for (const s of pending) {
    const around = shiftsOf.get(memberKey(s.teamId, s.userId)) ?? [];
    const stretch = stretchOf(around, s.id);
    // Still on call (a later shift continues it): its retro waits for the stretch's end.
    if (stretch && stretch.endsAt > now) continue;
    const first = stretch?.shifts[0]?.id ?? s.id;
    const endsAt = stretch?.endsAt ?? s.endsAt;
    const item = { teamId: s.teamId, userId: s.userId, week: ONCE, ref: shiftRef(first) };
    if (first !== s.id) stale.push({ ...item, ref: shiftRef(s.id) });
    if (seen.has(item.ref)) continue;
    seen.add(item.ref);
    if (now < retroDue(endsAt, s.tz)) continue;
    if (now.getTime() - endsAt.getTime() > RETRO_RELEVANT_MS) stale.push(item);
    else if (s.memberStatus === 'active') claim.push(item);
    else held++;
  }
  const claimed = await claimDeliveries(deps.db, 'retro', claim, now);
  const staleCount = await claimDeliveries(deps.db, 'retro', stale, now, 'skipped');

  let shifts = new Map<string, Awaited<ReturnType<typeof retroStretch>>>();
  const idOf = (row: LeasedDelivery) => row.ref.replace(/^shift:/, '');
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'retro',
      cutoff: (row) => new Date(row.claimedAt.getTime() + RETRO_RELEVANT_MS),
      prepare: async (rows) => {
        shifts = new Map(
          await Promise.all(rows.map(async (r) => [idOf(r), await retroStretch(deps.db, idOf(r), r.userId)] as const)),
        );
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
