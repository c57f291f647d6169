import { sql } from 'kysely';
import { memberKey } from '../growth/member-key.ts';
import { type ProgressMember as GrowthProgressMember, type ProgressRows, progressWindow } from '../growth/progress.ts';
import { type Camel, camel, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { type Audience, visibleTo } from './privacy.ts';
import { memberRows, rows } from './rows.ts';

/** The member a row belongs to (results are keyed `team|user`). */
type ProgressMember = Pick<GrowthProgressMember, 'teamId' | 'userId' | 'tz'>;

/**
 * The rows progress is computed from (growth/progress.ts), for a batch of members, in four
 * aggregate queries whatever the batch size: Postgres does the counting, weeks are taken in
 * each member's own timezone.
 */
export async function progressRows(
  db: Db,
  members: readonly ProgressMember[],
  now: Date,
  audience: Audience,
): Promise<ProgressRows> {
  if (!members.length) return { checkinWeeks: [], pausedWeeks: [], competencies: [], helpRequests: [] };
  const keys = rows(
    'k',
    { team_id: 'text', user_id: 'text', tz: 'text' },
    members.map((m) => ({ team_id: m.teamId, user_id: m.userId, tz: m.tz })),
  );
  const { weeksSince: yearAgo, helpSince: fourWeeksAgo } = progressWindow(now);

  const [weeks, paused, comps, help] = await Promise.all([
    sql<{ team_id: string; user_id: string; week: string }>`
      select distinct k.team_id, k.user_id, to_char(c.created_at at time zone k.tz, 'IYYY-"W"IW') as week
      from ${keys} join checkins c on c.team_id = k.team_id and c.user_id = k.user_id
      where c.created_at >= ${yearAgo} ${visibleTo(audience)}`.execute(db),
    sql<{ team_id: string; user_id: string; week: string }>`
      select k.team_id, k.user_id, d.week
      from ${keys} join deliveries d on d.team_id = k.team_id and d.user_id = k.user_id
      where d.kind = 'prompt' and d.status = 'skipped' and d.nudge_id is null and d.claimed_at >= ${yearAgo}`.execute(
      db,
    ),
    sql<{
      team_id: string;
      user_id: string;
      competency_id: string;
      name: string | null;
      this_quarter: string;
      last_at: Date;
      ratings: number[] | null;
      rated_at: Date | null;
      shared_prompt_id: string | null;
    }>`
      select k.team_id, k.user_id, c.competency_id,
             count(*) filter (where c.created_at >= (date_trunc('quarter', ${now}::timestamptz at time zone k.tz) at time zone k.tz)) as this_quarter,
             max(c.created_at) as last_at, max(c.competency_name) as name,
             (array_agg(c.rating order by c.created_at desc, c.id desc) filter (where c.rating is not null))[1:2] as ratings,
             max(c.created_at) filter (where c.rating is not null) as rated_at,
             (array_agg(n.prompt_id order by c.created_at desc, c.id desc) filter (where not c.private and n.prompt_id is not null))[1] as shared_prompt_id
      from ${keys} join checkins c on c.team_id = k.team_id and c.user_id = k.user_id
      left join nudges n on n.id = c.nudge_id
      where c.competency_id is not null ${visibleTo(audience)}
      group by k.team_id, k.user_id, c.competency_id`.execute(db),
    // Open help requests: asking for help, not yet resolved (db/help-requests.ts holds what became of each).
    sql<{
      team_id: string;
      user_id: string;
      id: string;
      competency_id: string | null;
      created_at: Date;
      text: string;
      offered_by: string | null;
      offered_at: Date | null;
    }>`
      select k.team_id, k.user_id, c.id, c.competency_id, c.created_at, c.text, h.offered_by, h.offered_at
      from ${keys} join checkins c on c.team_id = k.team_id and c.user_id = k.user_id
      left join help_requests h on h.checkin_id = c.id
      where c.needs_help and c.created_at >= ${fourWeeksAgo} and h.resolved_at is null ${visibleTo(audience)}`.execute(
      db,
    ),
  ]);

  return {
    checkinWeeks: camelRows(weeks.rows),
    pausedWeeks: camelRows(paused.rows),
    competencies: comps.rows.map((r) => ({
      teamId: r.team_id,
      userId: r.user_id,
      competencyId: r.competency_id,
      name: r.name,
      thisQuarter: Number(r.this_quarter),
      lastAt: r.last_at,
      latestRating: r.ratings?.[0] ?? null,
      latestRatedAt: r.rated_at,
      previousRating: r.ratings?.[1] ?? null,
      latestSharedPromptId: r.shared_prompt_id,
    })),
    helpRequests: help.rows.map((r) => ({
      teamId: r.team_id,
      userId: r.user_id,
      checkinId: r.id,
      competencyId: r.competency_id,
      at: r.created_at,
      text: r.text,
      offeredBy: r.offered_by,
      offeredAt: r.offered_at,
    })),
  };
}

/** Progress rows of two batches (the author's own and their mentees'), as one. */
export function mergeRows(a: ProgressRows, b: ProgressRows): ProgressRows {
  return {
    checkinWeeks: [...a.checkinWeeks, ...b.checkinWeeks],
    pausedWeeks: [...a.pausedWeeks, ...b.pausedWeeks],
    competencies: [...a.competencies, ...b.competencies],
    helpRequests: [...a.helpRequests, ...b.helpRequests],
  };
}

/** A member's latest shared check-in, as it leaves this folder. */
export type LatestShared = Camel<LatestSharedRow>;

interface LatestSharedRow {
  team_id: string;
  user_id: string;
  id: string;
  competency_id: string | null;
  text: string;
  created_at: Date;
}

/**
 * Each member's latest check-in since `since` that they share with their mentor (never a
 * private one), leaving out incident reflections and on-call retros: the digest shows those in
 * their own lines, and a quote is never repeated.
 */
export async function latestSharedCheckins(
  db: Db,
  members: readonly ProgressMember[],
  since: Date,
): Promise<Map<string, LatestShared>> {
  if (!members.length) return new Map();
  // One index probe per member (checkins_by_member) rather than sorting all their check-ins.
  const r = await sql<LatestSharedRow>`
    select k.team_id, k.user_id, c.id, c.competency_id, c.text, c.created_at
    from ${memberRows('k', members)}
    cross join lateral (
      select c.id, c.competency_id, c.text, c.created_at from checkins c
      where c.team_id = k.team_id and c.user_id = k.user_id and c.created_at >= ${since} ${visibleTo('others')}
        and not exists (select 1 from incident_participations p where p.checkin_id = c.id)
        and not exists (select 1 from oncall_retros r where r.checkin_id = c.id)
      order by c.created_at desc, c.id desc
      limit 1
    ) c`.execute(db);
  return new Map(r.rows.map((row) => [memberKey(row.team_id, row.user_id), camel(row)]));
}
