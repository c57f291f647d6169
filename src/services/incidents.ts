import type { Db } from '../db/create-db.ts';
import { claimDeliveries } from '../db/deliveries.ts';
import {
  incidentRef,
  noteChannelArchived,
  noteChannelMessage,
  ONCE,
  ownParticipation,
  type PendingParticipation,
  pendingFollowUps,
  pendingReflections,
  recordParticipation,
  saveReflection,
} from '../db/incidents.ts';
import { getMember, isJoined } from '../db/members.ts';
import type { DeliveryKind, IncidentParticipation } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import {
  channelIncidentKey,
  dueState,
  followUpDue,
  incidentCompetency,
  parseIncident,
  reflectionDue,
} from '../growth/incidents.ts';
import type { Level, RubricCompetency } from '../rubrics/schema.ts';

type Who = { teamId: string; userId: string };

export type ToldIncident =
  | { kind: 'invalid'; problem: string }
  | { kind: 'not-joined' }
  /** `created`: told for the first time; `due`: when the reflection prompt comes, in `tz`. */
  | { kind: 'noted'; created: boolean; participation: IncidentParticipation; due: Date; tz: string };

/**
 * A member says they were in an incident (`/growth incident <link or title>`): recorded once
 * per member and incident (the same link, or the same title however spaced), its reflection
 * due two working days later at their own 10:00.
 */
export async function tellIncident(deps: Deps, db: Db, i: Who & { text: string }): Promise<ToldIncident> {
  const ref = parseIncident(i.text);
  if (!ref.ok) return { kind: 'invalid', problem: ref.problem };
  const m = await getMember(db, i.teamId, i.userId);
  if (!isJoined(m)) return { kind: 'not-joined' };
  const saved = await recordParticipation(db, {
    teamId: i.teamId,
    userId: i.userId,
    key: ref.key,
    source: 'command',
    link: ref.link,
    title: ref.title,
    at: deps.now(),
  });
  if (!saved) return { kind: 'not-joined' };
  return {
    kind: 'noted',
    created: saved.created,
    participation: saved.row,
    due: reflectionDue(saved.row, m.tz),
    tz: m.tz,
  };
}

/** A channel as Slack describes it (`conversations.info`). */
export interface ChannelSeen {
  id: string;
  name: string | undefined;
  isArchived: boolean;
}

/**
 * Someone joined a channel the bot is in: if it is an open incident channel
 * (INCIDENT_CHANNEL_PATTERN) and they are a member, they took part, once per channel.
 */
export async function joinIncidentChannel(
  deps: Deps,
  db: Db,
  i: Who & { channel: ChannelSeen },
): Promise<{ kind: 'not-incident' | 'not-member' | 'recorded' | 'already' }> {
  const pattern = deps.config.incidentChannelPattern;
  const { name } = i.channel;
  if (!pattern || !name || !pattern.test(name) || i.channel.isArchived) return { kind: 'not-incident' };
  const saved = await recordParticipation(db, {
    teamId: i.teamId,
    userId: i.userId,
    key: channelIncidentKey(i.channel.id),
    source: 'channel',
    channelId: i.channel.id,
    title: `#${name}`,
    at: deps.now(),
  });
  if (!saved) return { kind: 'not-member' };
  return { kind: saved.created ? 'recorded' : 'already' };
}

/** A member wrote in an incident channel: only the time is kept (it moves their reflection on). */
export function noteIncidentMessage(deps: Deps, db: Db, i: Who & { channelId: string }): Promise<number> {
  return noteChannelMessage(db, i.teamId, i.channelId, i.userId, deps.now());
}

/** An incident channel was archived: the incident is over for everyone in it. */
export function closeIncidentChannel(deps: Deps, db: Db, i: { teamId: string; channelId: string }): Promise<number> {
  return noteChannelArchived(db, i.teamId, i.channelId, deps.now());
}

export type IncidentForm =
  | { kind: 'gone' }
  | {
      kind: 'form';
      participation: IncidentParticipation;
      competencies: RubricCompetency[];
      /** The competency chosen at first: the level's incident or on-call one. */
      competencyId: string | undefined;
      /** Asks the reflection's questions (not yet reflected on), else the follow-up's. */
      reflecting: boolean;
    };

/**
 * What the reflection's (or the follow-up's) button opens: the check-in form, about the
 * member's own incident only. Someone else's, a forgotten one, or a member who left: `gone`.
 */
export async function incidentForm(
  deps: Deps,
  db: Db,
  i: { userId: string; participationId: string; what: 'reflect' | 'follow-up' },
): Promise<IncidentForm> {
  const p = await ownParticipation(db, i.participationId, i.userId);
  const member = p ? await getMember(db, p.teamId, p.userId) : undefined;
  if (!p || !isJoined(member)) return { kind: 'gone' };
  const competencies = checkinCompetencies(deps.rubrics, member.level as Level);
  return {
    kind: 'form',
    participation: p,
    competencies,
    competencyId: incidentCompetency(competencies),
    reflecting: i.what === 'reflect' && !p.reflectedAt,
  };
}

/**
 * Files a saved check-in as the reflection on the member's own incident, with the action item
 * it named. Only their own incident takes it, and only the first reflection counts: otherwise
 * undefined, and the check-in stays an ordinary one. Run it in the check-in's transaction.
 */
export async function fileReflection(
  db: Db,
  r: { incidentId: string; userId: string; checkinId: string; actionItem: string | null; at: Date },
): Promise<IncidentParticipation | undefined> {
  if (!(await saveReflection(db, r.incidentId, r.userId, r.checkinId, r.actionItem, r.at))) return undefined;
  return ownParticipation(db, r.incidentId, r.userId);
}

export interface ClaimCounts {
  claimed: number;
  /** Due, but the member is paused: sent after the pause while still relevant. */
  held: number;
  /** Held past their relevance: recorded as skipped, never sent. */
  stale: number;
}

/**
 * Claims each due reflection, and each follow-up of a reflection that named an action item,
 * once per member and incident (`ref` = `incident:<id>`); the incidents job sends them.
 */
export async function claimDueIncidentDms(
  deps: Deps,
  now: Date,
): Promise<{ reflections: ClaimCounts; followUps: ClaimCounts }> {
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
  return { reflections, followUps };
}

type Claimable = { teamId: string; userId: string; week: string; ref: string };

async function claimDue(
  deps: Deps,
  kind: DeliveryKind,
  pending: PendingParticipation[],
  dueOf: (p: PendingParticipation) => Date,
  now: Date,
): Promise<ClaimCounts> {
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
  const skipped = await claimDeliveries(deps.db, kind, stale, now, 'skipped');
  return { claimed, held, stale: skipped };
}
