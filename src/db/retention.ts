import { sql } from 'kysely';
import type { Db } from './create-db.ts';
import { forgetLeaversBefore, type LeaversForgotten } from './person-data.ts';

/** How many rows of each kind a retention run deleted (counts only: never what they said). */
export interface RetentionCounts extends LeaversForgotten {
  checkins: number;
  retros: number;
  reflections: number;
  prompts: number;
  deliveries: number;
  shifts: number;
  replies: number;
  kudos: number;
  helpRequests: number;
  focusAreas: number;
  agendaItems: number;
}

/**
 * Deletes what people wrote and what was sent to them before `cutoff`, in one transaction:
 * check-ins (reflections and retros are check-ins too), on-call retros, incident participations
 * (their action items), prompts and every delivery (prompt, reminder, digest, …), and shifts
 * that ended before it, replies, kudos and help requests (a kudos or a help request goes with its
 * check-in, counted: it is deleted first), 1:1 agenda items (an item naming an older check-in too),
 * and focus areas whose quarter ended before it (a focus is in use until its quarter ends; a day
 * is added to the quarter's end so that no zone's quarter goes early). People who left before the cutoff go too, with their
 * mentorships on both sides and everything keyed by them (`forgetLeaversBefore`); current members,
 * their mentorships and feeds stay.
 */
export async function deleteOlderThan(db: Db, cutoff: Date): Promise<RetentionCounts> {
  return db.transaction().execute(async (tx) => {
    const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    // Retros first: deleting their check-in would take them with it, uncounted.
    const retros = count(
      await tx
        .deleteFrom('oncall_retros')
        .where((eb) =>
          eb.or([
            eb('created_at', '<', cutoff),
            eb('checkin_id', 'in', eb.selectFrom('checkins').select('id').where('created_at', '<', cutoff)),
          ]),
        )
        .executeTakeFirst(),
    );
    const reflections = count(
      await tx.deleteFrom('incident_participations').where('reported_at', '<', cutoff).executeTakeFirst(),
    );
    // Kudos and help requests first too: they cascade with their check-in.
    const kudos = count(
      await tx
        .deleteFrom('kudos')
        .where((eb) =>
          eb.or([
            eb('created_at', '<', cutoff),
            eb('checkin_id', 'in', eb.selectFrom('checkins').select('id').where('created_at', '<', cutoff)),
          ]),
        )
        .executeTakeFirst(),
    );
    const helpRequests = count(
      await tx
        .deleteFrom('help_requests')
        .where((eb) => eb('checkin_id', 'in', eb.selectFrom('checkins').select('id').where('created_at', '<', cutoff)))
        .executeTakeFirst(),
    );
    const agendaItems = count(
      await tx
        .deleteFrom('agenda_items')
        .where((eb) =>
          eb.or([
            eb('created_at', '<', cutoff),
            eb('checkin_id', 'in', eb.selectFrom('checkins').select('id').where('created_at', '<', cutoff)),
          ]),
        )
        .executeTakeFirst(),
    );
    const focusAreas = count(
      await tx
        .deleteFrom('focus_areas')
        .where(
          sql<boolean>`(to_date(left(quarter, 4), 'YYYY') + make_interval(months => 3 * right(quarter, 1)::int, days => 1)) at time zone 'UTC' < ${cutoff}`,
        )
        .executeTakeFirst(),
    );
    const replies = count(await tx.deleteFrom('replies').where('created_at', '<', cutoff).executeTakeFirst());
    const checkins = count(await tx.deleteFrom('checkins').where('created_at', '<', cutoff).executeTakeFirst());
    const deliveries = count(
      await tx
        .deleteFrom('deliveries')
        .where((eb) =>
          eb.or([
            eb('claimed_at', '<', cutoff),
            eb('nudge_id', 'in', eb.selectFrom('nudges').select('id').where('created_at', '<', cutoff)),
          ]),
        )
        .executeTakeFirst(),
    );
    const prompts = count(await tx.deleteFrom('nudges').where('created_at', '<', cutoff).executeTakeFirst());
    const shifts = count(await tx.deleteFrom('oncall_shifts').where('ends_at', '<', cutoff).executeTakeFirst());
    const leavers = await forgetLeaversBefore(tx, cutoff);
    return {
      checkins,
      retros,
      reflections,
      prompts,
      deliveries,
      shifts,
      replies,
      kudos,
      helpRequests,
      focusAreas,
      agendaItems,
      ...leavers,
    };
  });
}
