import { type Selectable, sql } from 'kysely';
import { namesOf } from '../growth/oncall-match.ts';
import { type Db, inTransaction } from './create-db.ts';
import { type Focus, focusAreasOf } from './focus.ts';
import { forgetHelpRequests } from './help-requests.ts';
import { removeMember } from './members.ts';
import type {
  CheckinsTable,
  Delivery,
  HelpRequestsTable,
  IncidentParticipationsTable,
  KudosTable,
  MembersTable,
  MentorshipsTable,
  NudgesTable,
  OncallFeedsTable,
  OncallRetrosTable,
  OncallShift,
  RepliesTable,
} from './schema.ts';

/** A feed in the export: its columns as they are, all but the secret URL. */
type FeedColumns = Omit<Selectable<OncallFeedsTable>, 'url'>;

export interface PersonData {
  member: Selectable<MembersTable> | null;
  mentorships: Selectable<MentorshipsTable>[];
  nudges: Selectable<NudgesTable>[];
  checkins: Selectable<CheckinsTable>[];
  deliveries: Delivery[];
  /** Incidents they took part in, with their reflections' action items (channel messages are never stored). */
  incidents: Selectable<IncidentParticipationsTable>[];
  /**
   * Their own on-call feed, with the address masked: the export is a file kept in Slack, and
   * the provider's token in the address would leave our database for it (they have the link).
   */
  oncall_feeds: FeedColumns[];
  /** Their shifts, from their own feed or a schedule's. */
  oncall_shifts: OncallShift[];
  /** Their on-call retros: the numbers and words of each. */
  retros: Selectable<OncallRetrosTable>[];
  /** Schedule feeds they added for the team (`admin oncall-feed add`), address masked like their own. */
  schedule_feeds_added: FeedColumns[];
  /** Names of theirs that a schedule feed named but matched to nobody, kept for the admins to see. */
  unmatched_names: { feed_id: string; names: string[] }[];
  /** DM messages they said are not a check-in (where they are, not what they said). */
  withdrawn_dm_messages: { channel: string; ts: string; withdrawn_at: Date }[];
  /** Replies between them and their mentor, or (as a mentor) their mentees: both sides of each conversation. */
  replies: Selectable<RepliesTable>[];
  /** Kudos they received on their check-ins, or gave as a mentor. */
  kudos: Selectable<KudosTable>[];
  /** What became of their help requests: who offered help, who resolved it, whether it helped. */
  help_requests: Selectable<HelpRequestsTable>[];
  /** Their focus each quarter, and what their mentor said of it. */
  focus_areas: Focus[];
  /** Focus of their mentees they agreed with or suggested (whose, which quarter, what became of it). */
  focus_answered: { user_id: string; quarter: string; status: string }[];
  /** Their 1:1s, as mentor or mentee. */
  one_on_ones: { mentor_id: string; mentee_id: string; weekday: number; minute: number; every_weeks: number }[];
  /** What they added to a 1:1's agenda (typed text, or which check-in). */
  agenda_items: { text: string | null; checkin_id: string | null; created_at: Date }[];
}

/**
 * Everything stored about one person: their own rows, mentorships on either side, the
 * schedule feeds they added, and their names among a feed's unmatched ones (`names`: how Slack
 * and we know them, display and real names and e-mail).
 */
export async function personData(
  db: Db,
  teamId: string,
  userId: string,
  names: readonly string[] = [],
): Promise<PersonData> {
  const [member, mentorships, nudges, checkins, deliveries, incidents, oncallFeeds, oncallShifts, retros, added] =
    await Promise.all([
      db
        .selectFrom('members')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
      db
        .selectFrom('mentorships')
        .selectAll()
        .where('team_id', '=', teamId)
        .where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)]))
        .orderBy('id')
        .execute(),
      db
        .selectFrom('nudges')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('week')
        .execute(),
      db
        .selectFrom('checkins')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('deliveries')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('incident_participations')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('oncall_feeds')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('owner_id', '=', userId)
        .orderBy('id')
        .execute()
        .then((feeds) => feeds.map(({ url: _secret, ...rest }) => rest)),
      db
        .selectFrom('oncall_shifts')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('starts_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('oncall_retros')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('oncall_feeds')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('kind', '=', 'schedule')
        .where('created_by', '=', userId)
        .orderBy('id')
        .execute()
        .then((feeds) => feeds.map(({ url: _secret, ...rest }) => rest)),
    ]);
  const theirs = [...names, ...(member?.display_name ? [member.display_name] : [])];
  return {
    member: member ?? null,
    mentorships,
    nudges,
    checkins,
    deliveries,
    incidents,
    oncall_feeds: oncallFeeds,
    oncall_shifts: oncallShifts,
    retros,
    schedule_feeds_added: added,
    unmatched_names: (await unmatchedOf(db, teamId, theirs)).map((f) => ({ feed_id: f.id, names: f.mine })),
    withdrawn_dm_messages: await db
      .selectFrom('withdrawn_dm_messages')
      .select(['channel', 'ts', 'withdrawn_at'])
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .orderBy('withdrawn_at')
      .execute(),
    replies: await db
      .selectFrom('replies')
      .selectAll()
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('mentor_id', '=', userId)]))
      .orderBy('id')
      .execute(),
    kudos: await db
      .selectFrom('kudos')
      .selectAll()
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('mentor_id', '=', userId)]))
      .orderBy('created_at')
      .execute(),
    help_requests: await db
      .selectFrom('help_requests')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .orderBy('checkin_id')
      .execute(),
    focus_areas: await focusAreasOf(db, teamId, userId),
    focus_answered: await db
      .selectFrom('focus_areas')
      .select(['user_id', 'quarter', 'status'])
      .where('team_id', '=', teamId)
      .where('mentor_id', '=', userId)
      .orderBy('id')
      .execute(),
    one_on_ones: await db
      .selectFrom('one_on_ones')
      .select(['mentor_id', 'mentee_id', 'weekday', 'minute', 'every_weeks'])
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)]))
      .orderBy('id')
      .execute(),
    agenda_items: await db
      .selectFrom('agenda_items')
      .select(['text', 'checkin_id', 'created_at'])
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
  };
}

/** The team's feeds that keep names of theirs among the unmatched ones. */
async function unmatchedOf(db: Db, teamId: string, theirs: readonly string[]) {
  if (!theirs.length) return [];
  const feeds = await db
    .selectFrom('oncall_feeds')
    .select(['id', 'unmatched'])
    .where('team_id', '=', teamId)
    .orderBy('id')
    .execute();
  return feeds
    .map((f) => ({ id: f.id, all: asNames(f.unmatched), mine: namesOf(asNames(f.unmatched), theirs) }))
    .filter((f) => f.mine.length > 0);
}

const asNames = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Deletes everything stored about a person in one transaction. Their rows hang off the
 * member row (ON DELETE CASCADE), and mentorships on either side go with it; the explicit
 * deletes make that true even for rows that somehow lost their member. Inside a caller's
 * transaction it runs in that one.
 *
 * A mentor's mentees are still told their mentor left: someone still here leaves first (as at
 * `removeMember`, `now`: each joined mentee gets a claim), and every notice not yet sent about
 * them keeps only the mentee (`forgotten:` ref, no mentorship to name the mentor by).
 */
export async function forgetPerson(
  db: Db,
  teamId: string,
  userId: string,
  o: { now: Date; names?: readonly string[] },
): Promise<Record<string, number>> {
  return forget(db, teamId, userId, o.names ?? [], o.now);
}

/** `forgetPerson`; `now` null for someone who left already (nothing of theirs to end or claim). */
async function forget(
  db: Db,
  teamId: string,
  userId: string,
  names: readonly string[],
  now: Date | null,
): Promise<Record<string, number>> {
  return inTransaction(db, async (tx) => {
    if (now) await removeMember(tx, teamId, userId, now);
    await sql`
      update deliveries d set ref = 'forgotten:' || ms.id
      from mentorships ms
      where ms.team_id = ${teamId} and ms.mentor_id = ${userId}
        and d.team_id = ms.team_id and d.kind = 'mentor_left' and d.ref = 'mentorship:' || ms.id`.execute(tx);
    const member = await tx
      .selectFrom('members')
      .select('display_name')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const theirs = [...names, ...(member?.display_name ? [member.display_name] : [])];
    let unmatched = 0;
    for (const f of await unmatchedOf(tx, teamId, theirs)) {
      const keep = f.all.filter((n) => !f.mine.includes(n));
      await tx
        .updateTable('oncall_feeds')
        .set({ unmatched: JSON.stringify(keep) })
        .where('id', '=', f.id)
        .execute();
      unmatched += f.all.length - keep.length;
    }
    const counts: Record<string, number> = { unmatched_names: unmatched };
    const del = async (
      table:
        | 'deliveries'
        | 'oncall_retros'
        | 'incident_participations'
        | 'checkins'
        | 'nudges'
        | 'focus_areas'
        | 'agenda_items',
    ) => {
      const r = await tx
        .deleteFrom(table)
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      counts[table] = Number(r.numDeletedRows);
    };
    const shifts = await tx
      .deleteFrom('oncall_shifts')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    counts.oncall_shifts = Number(shifts.numDeletedRows);
    // Their own feed, and the schedule feeds they added: each address is a link they gave us,
    // with their provider's secret token in it. Shifts read from those feeds go with them.
    const feeds = await tx
      .deleteFrom('oncall_feeds')
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('owner_id', '=', userId), eb('created_by', '=', userId)]))
      .executeTakeFirst();
    counts.oncall_feeds = Number(feeds.numDeletedRows);
    // Replies and kudos go with either person; help requests with the mentee who asked, and a
    // mentor's name leaves those they offered or resolved (the request keeps its state).
    counts.replies = Number(
      (
        await tx
          .deleteFrom('replies')
          .where('team_id', '=', teamId)
          .where((eb) => eb.or([eb('user_id', '=', userId), eb('mentor_id', '=', userId)]))
          .executeTakeFirst()
      ).numDeletedRows,
    );
    counts.kudos = Number(
      (
        await tx
          .deleteFrom('kudos')
          .where('team_id', '=', teamId)
          .where((eb) => eb.or([eb('user_id', '=', userId), eb('mentor_id', '=', userId)]))
          .executeTakeFirst()
      ).numDeletedRows,
    );
    counts.help_requests = await forgetHelpRequests(tx, teamId, userId);
    await del('deliveries');
    await del('focus_areas');
    await del('agenda_items');
    // Their 1:1s go, with everything either person added to them.
    const pairs = await tx
      .deleteFrom('one_on_ones')
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)]))
      .executeTakeFirst();
    counts.one_on_ones = Number(pairs.numDeletedRows);
    // A mentor's answer stays the mentee's; only their name goes.
    const answered = await tx
      .updateTable('focus_areas')
      .set({ mentor_id: null })
      .where('team_id', '=', teamId)
      .where('mentor_id', '=', userId)
      .executeTakeFirst();
    counts.focus_answered = Number(answered.numUpdatedRows);
    await del('incident_participations');
    await del('oncall_retros');
    await del('checkins');
    await del('nudges');
    const ms = await tx
      .deleteFrom('mentorships')
      .where('team_id', '=', teamId)
      .where((eb) => eb.or([eb('mentor_id', '=', userId), eb('mentee_id', '=', userId)]))
      .executeTakeFirst();
    counts.mentorships = Number(ms.numDeletedRows);
    const m = await tx
      .deleteFrom('members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    counts.members = Number(m.numDeletedRows);
    return counts;
  });
}

/** What forgetting the leavers past retention removed: people, their mentorships (either side), and their other rows. */
export interface LeaversForgotten {
  leavers: number;
  leaverMentorships: number;
  leaverRows: number;
}

/**
 * RETENTION_DAYS for people: everyone who left before `cutoff` is forgotten as `forgetPerson`
 * does (member row, mentorships on both sides, everything keyed by them), in the caller's
 * transaction. Counts only.
 */
export async function forgetLeaversBefore(db: Db, cutoff: Date): Promise<LeaversForgotten> {
  return inTransaction(db, async (tx) => {
    const leavers = await tx
      .selectFrom('members')
      .select(['team_id', 'user_id'])
      .where('status', '=', 'left')
      .where('left_at', '<', cutoff)
      .orderBy('team_id')
      .orderBy('user_id')
      .execute();
    const total: LeaversForgotten = { leavers: 0, leaverMentorships: 0, leaverRows: 0 };
    for (const l of leavers) {
      const counts = await forget(tx, l.team_id, l.user_id, [], null);
      total.leavers += counts.members ?? 0;
      total.leaverMentorships += counts.mentorships ?? 0;
      // Rows deleted; `unmatched_names` and `focus_answered` count updates, not rows.
      for (const [k, n] of Object.entries(counts))
        if (!['members', 'mentorships', 'unmatched_names', 'focus_answered'].includes(k)) total.leaverRows += n;
    }
    return total;
  });
}
