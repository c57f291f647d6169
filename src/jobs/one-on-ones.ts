import { claimDeliveries, type LeasedDelivery } from '../db/deliveries.ts';
import { activeOneOnOnes, type OneOnOne } from '../db/one-on-ones.ts';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import type { Agenda } from '../growth/one-on-one.ts';
import { meetingKey, ONE_ON_ONE_RELEVANT_MS, oneOnOneDue } from '../growth/one-on-one.ts';
import { agendaMessage, takeawayMessage } from '../outbound/views/agenda.ts';
import { agendasFor } from '../services/one-on-ones.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

export interface OneOnOnesReport {
  agendas: DeliverStats & { claimed: number };
  takeaways: DeliverStats & { claimed: number };
}

/** A 1:1's claims name it: one agenda per person and meeting, one takeaway question per meeting. */
const refOf = (id: string) => `1on1:${id}`;
const idOf = (row: LeasedDelivery) => row.ref.replace(/^1on1:/, '');

/**
 * 24 hours before each recorded 1:1, both get its agenda; an hour after it starts, the mentee is
 * asked for one takeaway. Each claimed once (person, meeting, 1:1), like every DM; a paused person
 * gets neither. A meeting before the 1:1 was set (or last changed) asks for no takeaway.
 */
export async function runOneOnOnes(deps: Deps, now: Date): Promise<OneOnOnesReport> {
  const all = await activeOneOnOnes(deps.db);
  const agendas: { teamId: string; userId: string; week: string; ref: string }[] = [];
  const takeaways: typeof agendas = [];
  for (const o of all) {
    const d = oneOnOneDue(now, o, o.tz);
    const ref = refOf(o.id);
    if (d.agenda)
      for (const userId of [o.mentorId, o.menteeId])
        agendas.push({ teamId: o.teamId, userId, week: meetingKey(d.agenda), ref });
    if (d.takeaway && d.takeaway > o.setAt)
      takeaways.push({ teamId: o.teamId, userId: o.menteeId, week: meetingKey(d.takeaway), ref });
  }
  const claimedAgendas = await claimDeliveries(deps.db, 'agenda', agendas, now);
  const claimedTakeaways = await claimDeliveries(deps.db, 'takeaway', takeaways, now);
  const byId = new Map<string, OneOnOne & { tz: string }>(all.map((o) => [o.id, o]));
  const nameOf = competencyNamer(deps.rubrics);

  let prepared = new Map<string, Agenda | null>();
  const agendaStats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'agenda',
      // Worth sending until the meeting starts.
      cutoff: (row) => new Date(row.week),
      prepare: async (rows) => {
        // One set of queries for the whole lease, not one per meeting (services/one-on-ones.ts).
        const keys = [...new Set(rows.map((r) => `${idOf(r)}|${r.week}`))];
        const reqs = keys.flatMap((k) => {
          const [id, week] = k.split('|') as [string, string];
          const o = byId.get(id);
          return o ? [{ k, o, meeting: new Date(week) }] : [];
        });
        const agendas = await agendasFor(deps, deps.db, reqs);
        prepared = new Map(reqs.map((r, i) => [r.k, agendas[i] ?? null]));
      },
      render: (row) => {
        const a = prepared.get(`${idOf(row)}|${row.week}`);
        return a ? agendaMessage(a, row.userId, row.tz, nameOf) : null;
      },
    },
    now,
  );
  const takeawayStats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'takeaway',
      cutoff: (row) => new Date(row.claimedAt.getTime() + ONE_ON_ONE_RELEVANT_MS),
      render: (row) => {
        const o = byId.get(idOf(row));
        return o && o.menteeId === row.userId ? takeawayMessage(o.id, o.mentorId) : null;
      },
    },
    now,
  );
  const report = {
    agendas: { claimed: claimedAgendas, ...agendaStats },
    takeaways: { claimed: claimedTakeaways, ...takeawayStats },
  };
  deps.logger.info({ job: 'one-on-ones', ...report }, 'one-on-ones run');
  return report;
}
