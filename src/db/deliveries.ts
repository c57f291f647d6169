import { sql } from 'kysely';
import { DAY_MS } from '../growth/durations.ts';
import type { Weekday } from '../growth/schedule.ts';
import type { Level } from '../rubrics/schema.ts';
import { type Camel, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import { memberRows, rows } from './rows.ts';
import type { DeliveryKind, DeliveryStatus, MemberStatus, NudgeOutcome } from './schema.ts';

/** `team|user|week`: how a batch remembers which claims exist. */
export const claimKey = (teamId: string, userId: string, week: string) => `${teamId}|${userId}|${week}`;

/**
 * The claims of one kind that already exist for these weeks, whatever became of them; with
 * `members`, only theirs (a page of a fan-out need not read everyone's).
 */
export async function existingClaims(
  db: Db,
  kind: DeliveryKind,
  weeks: readonly string[],
  members?: readonly { teamId: string; userId: string }[],
): Promise<Set<string>> {
  if (!weeks.length || members?.length === 0) return new Set();
  let q = db
    .selectFrom('deliveries')
    .select(['team_id', 'user_id', 'week'])
    .where('kind', '=', kind)
    .where('week', 'in', [...new Set(weeks)]);
  if (members)
    q = q.where(sql<boolean>`(team_id, user_id) in (select k.team_id, k.user_id from ${memberRows('k', members)})`);
  const rows = await q.execute();
  return new Set(rows.map((r) => claimKey(r.team_id, r.user_id, r.week)));
}

export interface PromptClaim {
  teamId: string;
  userId: string;
  week: string;
  level: Level;
  competencyId: string;
  promptId: string;
  promptText: string;
}

/**
 * Claims this week's prompt for each member: the nudge (what was asked) and its delivery
 * row, in one transaction, unique per member and week. A member someone else already
 * claimed is left alone, so any number of runs and instances claim each week once.
 */
export async function claimPrompts(db: Db, claims: readonly PromptClaim[], now: Date): Promise<number> {
  if (!claims.length) return 0;
  return db.transaction().execute(async (tx) => {
    const nudges = await tx
      .insertInto('nudges')
      .values(
        claims.map((c) => ({
          team_id: c.teamId,
          user_id: c.userId,
          week: c.week,
          level: c.level,
          competency_id: c.competencyId,
          prompt_id: c.promptId,
          prompt_text: c.promptText,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['team_id', 'user_id', 'week']).doNothing())
      .returning(['id', 'team_id', 'user_id', 'week'])
      .execute();
    if (!nudges.length) return 0;
    await answerFromEarlierCheckins(
      tx,
      nudges.map((n) => n.id),
      now,
    );
    const claimed = await tx
      .insertInto('deliveries')
      .values(
        nudges.map((n) => ({
          team_id: n.team_id,
          user_id: n.user_id,
          kind: 'prompt' as const,
          week: n.week,
          nudge_id: n.id,
          claimed_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['team_id', 'user_id', 'kind', 'week', 'ref']).doNothing())
      .returning('id')
      .execute();
    return claimed.length;
  });
}

/**
 * A check-in made earlier in a prompt's local week, before the prompt went out, counts for that
 * week: it is linked to the new prompt, which starts answered (sent settled, no reminder, no
 * auto-pause count). On-call retros keep to themselves, as they do once a prompt is out.
 */
async function answerFromEarlierCheckins(tx: Db, nudgeIds: readonly string[], now: Date): Promise<void> {
  await sql`
    with linked as (
      update checkins c set nudge_id = n.id
      from nudges n join members m on m.team_id = n.team_id and m.user_id = n.user_id
      where n.id in (${sql.join(nudgeIds)})
        and c.team_id = n.team_id and c.user_id = n.user_id and c.nudge_id is null
        and c.created_at <= ${now} and c.created_at > ${new Date(now.getTime() - 8 * DAY_MS)}
        and to_char(c.created_at at time zone m.tz, 'IYYY-"W"IW') = n.week
        and not exists (select 1 from oncall_retros r where r.checkin_id = c.id)
      returning c.nudge_id
    )
    update nudges set outcome = 'answered', updated_at = ${now}
    where id in (select nudge_id from linked) and outcome = 'open'`.execute(tx);
}

/** Claims (or records as missed, or skipped) one delivery per person, week and ref, at most once. */
export async function claimDeliveries(
  db: Db,
  kind: DeliveryKind,
  items: readonly { teamId: string; userId: string; week: string; nudgeId?: string | null; ref?: string }[],
  now: Date,
  status: Extract<DeliveryStatus, 'claimed' | 'missed' | 'skipped'> = 'claimed',
): Promise<number> {
  if (!items.length) return 0;
  const rows = await db
    .insertInto('deliveries')
    .values(
      items.map((i) => ({
        team_id: i.teamId,
        user_id: i.userId,
        kind,
        week: i.week,
        ref: i.ref ?? '',
        nudge_id: i.nudgeId ?? null,
        status,
        claimed_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['team_id', 'user_id', 'kind', 'week', 'ref']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

interface LeasedRow {
  id: string;
  team_id: string;
  user_id: string;
  kind: DeliveryKind;
  week: string;
  ref: string;
  nudge_id: string | null;
  attempts: number;
  claimed_at: Date;
  /** 'sending' means an earlier send may have reached Slack: look before sending again. */
  prev_status: DeliveryStatus;
  tz: string;
  prompt_weekday: Weekday;
  prompt_minute: number;
  member_status: MemberStatus;
  member_level: Level | null;
  prompt_text: string | null;
  prompt_id: string | null;
  competency_id: string | null;
  nudge_outcome: NudgeOutcome | null;
}

/** A delivery taken for sending, with what its message needs of the member and the nudge. */
export type LeasedDelivery = Camel<LeasedRow>;

/**
 * Takes up to `limit` deliveries of a kind that are due (new claims, and retries whose time
 * has come) and marks them `sending` with a lease: if this process dies, another run sees
 * the lease expire and checks Slack before sending. SKIP LOCKED keeps instances apart.
 */
export async function leaseDue(
  db: Db,
  kind: DeliveryKind,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<LeasedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const r = await sql<LeasedRow>`
    with picked as (
      select id, status as prev_status from deliveries
      where kind = ${kind}
        and (status = 'claimed' or (status in ('failed', 'sending') and next_attempt_at <= ${now}))
      order by id
      limit ${limit}
      for update skip locked
    ),
    updated as (
      update deliveries d
      set status = 'sending', attempts = d.attempts + 1, next_attempt_at = ${leaseUntil}
      from picked
      where d.id = picked.id
      returning d.id, d.team_id, d.user_id, d.kind, d.week, d.ref, d.nudge_id, d.attempts, d.claimed_at, picked.prev_status
    )
    select u.*, m.tz, m.prompt_weekday, m.prompt_minute, m.status as member_status, m.level as member_level,
           n.prompt_text, n.prompt_id, n.competency_id, n.outcome as nudge_outcome
    from updated u
    join members m on m.team_id = u.team_id and m.user_id = u.user_id
    left join nudges n on n.id = u.nudge_id
    order by u.id`.execute(db);
  return camelRows(r.rows);
}

export interface DeliveryResult {
  id: string;
  /** `sending` again: the send's fate is unknown; the next attempt looks in Slack first. */
  status: Extract<DeliveryStatus, 'sent' | 'failed' | 'missed' | 'skipped' | 'sending' | 'claimed'>;
  channel?: string | null;
  ts?: string | null;
  error?: string | null;
  /** For `failed`: when to try again; null means given up. */
  nextAttemptAt?: Date | null;
}

/** Writes a batch of outcomes in one statement. */
export async function recordResults(db: Db, results: readonly DeliveryResult[], now: Date): Promise<void> {
  if (!results.length) return;
  const list = results.map((r) => ({
    id: r.id,
    status: r.status,
    channel: r.channel ?? null,
    ts: r.ts ?? null,
    error: r.error ?? null,
    next: r.nextAttemptAt?.toISOString() ?? null,
  }));
  await sql`
    update deliveries d set
      status = r.status,
      -- handed back unsent (shutdown): this attempt did not happen
      attempts = case when r.status = 'claimed' then greatest(d.attempts - 1, 0) else d.attempts end,
      channel = coalesce(r.channel, d.channel),
      message_ts = coalesce(r.ts, d.message_ts),
      last_error = r.error,
      next_attempt_at = r.next,
      sent_at = case when r.status = 'sent' then ${now}::timestamptz else d.sent_at end
    from ${rows('r', { id: 'bigint', status: 'text', channel: 'text', ts: 'text', error: 'text', next: 'timestamptz' }, list)}
    where d.id = r.id`.execute(db);
  // A prompt that will never go out this week is a missed week for its nudge too.
  const missed = results.filter((r) => r.status === 'missed').map((r) => r.id);
  if (missed.length) {
    await sql`update nudges n set outcome = 'missed', updated_at = ${now} from deliveries d
      where d.id in (${sql.join(missed)}) and d.kind = 'prompt' and n.id = d.nudge_id and n.outcome = 'open'`.execute(
      db,
    );
  }
}

/** What went out in (from, to], oldest first: kind and recipient of each sent delivery, and the prompt a prompt asked (id and level). */
export async function sentBetween(
  db: Db,
  from: Date,
  to: Date,
): Promise<
  { kind: DeliveryKind; userId: string; sentAt: Date; promptId: string | null; promptLevel: string | null }[]
> {
  const sent = await db
    .selectFrom('deliveries as d')
    .leftJoin('nudges as n', 'n.id', 'd.nudge_id')
    .select(['d.kind', 'd.user_id', 'd.sent_at', 'n.prompt_id', 'n.level as prompt_level'])
    .where('d.status', '=', 'sent')
    .where('d.sent_at', '>', from)
    .where('d.sent_at', '<=', to)
    .orderBy('d.sent_at')
    .orderBy('d.id')
    .execute();
  return camelRows(
    sent as {
      kind: DeliveryKind;
      user_id: string;
      sent_at: Date;
      prompt_id: string | null;
      prompt_level: string | null;
    }[],
  );
}
